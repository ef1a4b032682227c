package dev.llmplatform.api.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmplatform.engine.gguf.GgufWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the Hugging Face hub, behaving as the real one does for GGUF files: the model
 * API lists {@code siblings[].rfilename}; {@code /resolve/main/FILE} answers an LFS file with a 302 to a
 * second server (the "CDN", another port, so another origin) carrying {@code X-Linked-Etag} (the sha256)
 * and {@code X-Linked-Size}; the CDN honours {@code Range}. It can drop a connection mid-file, report a
 * wrong hash, demand a token (401) and not know a repository (404).
 */
public final class FakeHub implements AutoCloseable {
    /** One request as a server saw it. */
    public record Request(String server, String method, String path, String range, String authorization) {}

    private final HttpServer hub;
    private final HttpServer cdn;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Map<String, byte[]>> repos = new ConcurrentHashMap<>();
    private final Map<String, String> shaOverride = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    /** When positive, the next CDN download sends this many bytes and then drops the connection. */
    public final AtomicLong dropNextAfter = new AtomicLong(-1);
    /** When positive, the next CDN download sends this many bytes and then stalls (sends nothing more, keeps the connection). */
    public final AtomicLong stallNextAfter = new AtomicLong(-1);
    /** When positive, CDN downloads are paced to about this many bytes per second (so progress can be watched). */
    public volatile long cdnBytesPerSecond;
    public volatile String requiredToken;
    /** When set, a request with a valid token is refused as for a gated repository whose terms were not accepted. */
    public volatile boolean gated;

    public FakeHub() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        hub = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        cdn = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        hub.setExecutor(executor);
        cdn.setExecutor(executor);
        hub.createContext("/", this::hub);
        cdn.createContext("/", this::cdn);
        hub.start();
        cdn.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    public FakeHub file(String repo, String name, byte[] content) {
        repos.computeIfAbsent(repo, r -> new ConcurrentHashMap<>()).put(name, content);
        blobs.put(sha256(content), content);
        return this;
    }

    /** Makes the hub report {@code sha256} for the file instead of its real hash. */
    public FakeHub reportSha(String repo, String name, String sha256) {
        shaOverride.put(repo + "/" + name, sha256);
        return this;
    }

    public List<Request> requestsTo(String server) {
        return requests.stream().filter(r -> r.server.equals(server)).toList();
    }

    /** A small valid GGUF file (a llama-shaped header and one random tensor of {@code floats} values). */
    public static byte[] tinyGguf(Path dir, String name, int floats, long seed) throws IOException {
        float[] values = new float[floats];
        Random random = new Random(seed);
        for (int i = 0; i < floats; i++) {
            values[i] = random.nextFloat();
        }
        Path p = dir.resolve(name);
        new GgufWriter()
                .put("general.architecture", "llama")
                .putUint32("general.file_type", 15)
                .putUint32("llama.context_length", 2048)
                .putUint32("llama.block_count", 1)
                .putUint32("llama.embedding_length", 64)
                .addF32("token_embd.weight", new long[] {64, floats / 64}, values)
                .write(p);
        byte[] bytes = Files.readAllBytes(p);
        Files.delete(p);
        return bytes;
    }

    public static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Pattern API = Pattern.compile("/api/models/([^/]+/[^/]+)");
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/main/(.+)");

    private void hub(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(new Request("hub", ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Range"),
                ex.getRequestHeaders().getFirst("Authorization")));
        try (ex) {
            if (requiredToken != null && !("Bearer " + requiredToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                // What the real hub answers without a valid token for private or gated repositories.
                ex.getResponseHeaders().add("X-Error-Code", "RepoNotFound");
                send(ex, 401, "{\"error\":\"Invalid username or password.\"}");
                return;
            }
            if (gated) {
                ex.getResponseHeaders().add("X-Error-Code", "GatedRepo");
                send(ex, 403, "{\"error\":\"Access to model is restricted.\"}");
                return;
            }
            Matcher api = API.matcher(path);
            if (api.matches()) {
                Map<String, byte[]> files = repos.get(api.group(1));
                if (files == null) {
                    ex.getResponseHeaders().add("X-Error-Code", "RepoNotFound");
                    send(ex, 404, "{\"error\":\"Repository not found\"}");
                    return;
                }
                StringBuilder siblings = new StringBuilder();
                files.keySet().stream().sorted().forEach(f -> siblings.append(siblings.isEmpty() ? "" : ",")
                        .append("{\"rfilename\":\"").append(f).append("\"}"));
                send(ex, 200, "{\"id\":\"" + api.group(1) + "\",\"modelId\":\"" + api.group(1) + "\",\"sha\":\"abc\","
                        + "\"private\":false,\"tags\":[\"gguf\"],\"siblings\":[" + siblings + "]}");
                return;
            }
            Matcher resolve = RESOLVE.matcher(path);
            if (resolve.matches()) {
                Map<String, byte[]> files = repos.get(resolve.group(1));
                byte[] content = files == null ? null : files.get(resolve.group(2));
                if (content == null) {
                    ex.getResponseHeaders().add("X-Error-Code", files == null ? "RepoNotFound" : "EntryNotFound");
                    send(ex, 404, "Entry not found");
                    return;
                }
                String sha = shaOverride.getOrDefault(resolve.group(1) + "/" + resolve.group(2), sha256(content));
                ex.getResponseHeaders().add("X-Linked-Etag", "\"" + sha + "\"");
                ex.getResponseHeaders().add("X-Linked-Size", Long.toString(content.length));
                ex.getResponseHeaders().add("ETag", "W/\"0123456789abcdef0123456789abcdef01234567\"");
                ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + cdn.getAddress().getPort()
                        + "/blobs/" + sha256(content) + "?signature=abc");
                ex.sendResponseHeaders(302, -1);
                return;
            }
            send(ex, 404, "not found");
        }
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private void cdn(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(new Request("cdn", ex.getRequestMethod(), path, range, ex.getRequestHeaders().getFirst("Authorization")));
        byte[] content = path.startsWith("/blobs/") ? blobs.get(path.substring("/blobs/".length())) : null;
        if (content == null) {
            try (ex) {
                send(ex, 404, "no such blob");
            }
            return;
        }
        int start = 0;
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m != null && m.matches()) {
            start = Integer.parseInt(m.group(1));
            if (start >= content.length) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                try (ex) {
                    ex.sendResponseHeaders(416, -1);
                }
                return;
            }
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
        }
        ex.getResponseHeaders().add("ETag", "\"cdn-etag-not-a-sha\"");
        ex.getResponseHeaders().add("Accept-Ranges", "bytes");
        ex.sendResponseHeaders(start > 0 ? 206 : 200, content.length - start);
        long drop = dropNextAfter.getAndSet(-1);
        long stall = stallNextAfter.getAndSet(-1);
        OutputStream out = ex.getResponseBody();
        if (stall > 0) {
            out.write(content, start, (int) stall);
            out.flush();
            try {
                Thread.sleep(10_000); // longer than the client's read timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("fake hub: stalled connection abandoned");
        }
        if (drop > 0 && drop < content.length - start) {
            for (long sent = 0; sent < drop; sent += 8192) {
                out.write(content, (int) (start + sent), (int) Math.min(8192, drop - sent));
            }
            out.flush();
            // Ending the exchange short of its Content-Length makes the server close the connection.
            throw new IOException("fake hub: dropping the connection after " + drop + " bytes");
        }
        // Several writes, so the client sees the body arrive in pieces.
        long pace = cdnBytesPerSecond;
        for (int pos = start; pos < content.length; pos += 8192) {
            out.write(content, pos, Math.min(8192, content.length - pos));
            if (pace > 0) {
                out.flush();
                try {
                    Thread.sleep(8192 * 1000L / pace);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("fake hub: interrupted while pacing");
                }
            }
        }
        ex.close();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
        executor.shutdownNow();
    }
}
