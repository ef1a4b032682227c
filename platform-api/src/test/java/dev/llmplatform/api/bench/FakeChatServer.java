package dev.llmplatform.api.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server on 127.0.0.1 (random port) that answers {@code /v1/chat/completions} as an
 * OpenAI-compatible server streams, with token counts and delays a test chooses, and optionally
 * llama.cpp's {@code /tokenize} with a known tokenizer (two tokens per whitespace-separated word).
 */
final class FakeChatServer implements AutoCloseable {
    /** How to answer the {@code arrival}-th chat request (0-based, in arrival order). */
    @FunctionalInterface
    interface Script {
        void respond(int arrival, JsonNode request, HttpExchange exchange) throws Exception;
    }

    static final int TOKENS_PER_WORD = 2;
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger arrivals = new AtomicInteger();
    final List<JsonNode> chatRequests = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<String> accepts = new CopyOnWriteArrayList<>();
    final List<String> paths = new CopyOnWriteArrayList<>();

    FakeChatServer(Script script, boolean tokenize) throws IOException {
        this(script, tokenize, 0);
    }

    private FakeChatServer(Script script, boolean tokenize, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            try (exchange) {
                paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
                String path = exchange.getRequestURI().getPath();
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                if (path.equals("/v1/chat/completions")) {
                    chatRequests.add(body);
                    authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                    accepts.add(String.valueOf(exchange.getRequestHeaders().getFirst("Accept")));
                    script.respond(arrivals.getAndIncrement(), body, exchange);
                } else if (path.equals("/tokenize") && tokenize) {
                    send(exchange, 200, "application/json",
                            "{\"tokens\": " + JSON.writeValueAsString(new int[countTokens(body.path("content").asString())]) + "}");
                } else {
                    send(exchange, 404, "application/json", "{\"error\":{\"message\":\"not found\"}}");
                }
            } catch (InterruptedException e) {
                // The test is over and the server is stopping while a script sleeps.
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // A failing script is a test bug; the client sees a broken connection.
                e.printStackTrace();
            }
        });
        server.start();
    }

    static int countTokens(String text) {
        return text.strip().split("\\s+").length * TOKENS_PER_WORD;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** The stream of a well-behaved server, written in parts as a server writes them. */
    static final class Stream {
        private final OutputStream out;
        private final String lineEnd;

        Stream(HttpExchange exchange, String lineEnd) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.sendResponseHeaders(200, 0);
            this.out = exchange.getResponseBody();
            this.lineEnd = lineEnd;
        }

        Stream raw(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return this;
        }

        Stream data(String json) throws IOException {
            return raw("data: " + json + lineEnd + lineEnd);
        }

        Stream role() throws IOException {
            return data("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
        }

        Stream content(String text) throws IOException {
            return data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":" + JSON.writeValueAsString(text)
                    + "},\"finish_reason\":null}]}");
        }

        Stream finish() throws IOException {
            return data("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}");
        }

        Stream usage(int completionTokens) throws IOException {
            return data("{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":" + completionTokens
                    + ",\"total_tokens\":" + (10 + completionTokens) + "}}");
        }

        void done() throws IOException {
            data("[DONE]");
        }
    }

    /**
     * A script that waits {@code firstMs} before the first content chunk and {@code gapMs} between chunks,
     * sends {@code chunks} content chunks and then usage of {@code usageTokens} (none if negative).
     */
    static Script timed(int chunks, long firstMs, long gapMs, int usageTokens, String lineEnd) {
        return (arrival, request, exchange) -> {
            Stream s = new Stream(exchange, lineEnd).role().raw(": keep-alive comment" + lineEnd + lineEnd);
            Thread.sleep(firstMs);
            for (int i = 0; i < chunks; i++) {
                if (i > 0) {
                    Thread.sleep(gapMs);
                }
                s.content(" word" + i);
            }
            s.finish();
            if (usageTokens >= 0) {
                s.usage(usageTokens);
            }
            s.done();
        };
    }

    /**
     * Runs the server until killed, to measure {@code llmp bench-serve} itself (docs/benchmarks.md):
     * {@code FakeChatServer PORT CHUNKS FIRST_MS GAP_MS}; every request gets CHUNKS content chunks and
     * {@code usage.completion_tokens = CHUNKS}, and the server offers {@code /tokenize}.
     */
    public static void main(String[] args) throws Exception {
        int chunks = Integer.parseInt(args[1]);
        FakeChatServer server = new FakeChatServer(FakeChatServer.timed(chunks, Long.parseLong(args[2]),
                Long.parseLong(args[3]), chunks, "\n"), true, Integer.parseInt(args[0]));
        System.out.println("listening on " + server.url());
        Thread.currentThread().join();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
