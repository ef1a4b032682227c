package dev.llmplatform.api.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends one streamed chat completion in OpenAI's wire format and times its chunks. Uses only what every
 * OpenAI-compatible server understands ({@code stream}, {@code stream_options.include_usage},
 * {@code max_tokens}, {@code temperature}); no server extension such as {@code ignore_eos}.
 */
final class StreamedChatRequest {
    private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    private final HttpClient client;
    private final ServeBenchmarkOptions options;
    private final ScheduledExecutorService watchdog;
    private final JsonMapper json;

    StreamedChatRequest(HttpClient client, ServeBenchmarkOptions options, ScheduledExecutorService watchdog, JsonMapper json) {
        this.client = client;
        this.options = options;
        this.watchdog = watchdog;
        this.json = json;
    }

    /** Sends {@code prompt} and reads the whole stream; never throws for anything the server does. */
    RequestOutcome send(String prompt) {
        HttpRequest request = options.authorize(HttpRequest.newBuilder(options.target().chatCompletions()))
                .timeout(options.requestTimeout())
                .header("Content-Type", "application/json")
                // A stream on success, OpenAI's JSON error shape on failure: a server that honours Accept
                // strictly could not send its error body if only the stream were accepted.
                .header("Accept", "text/event-stream, application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(prompt), StandardCharsets.UTF_8))
                .build();
        long sent = System.nanoTime();
        long deadline = sent + options.requestTimeout().toNanos();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            return RequestOutcome.failed("cannot connect to " + options.target() + ": connect timed out");
        } catch (HttpTimeoutException e) {
            return RequestOutcome.failed("no response within " + seconds(options.requestTimeout()));
        } catch (ConnectException e) {
            return RequestOutcome.failed("cannot connect to " + options.target() + ": connection refused");
        } catch (IOException e) {
            return RequestOutcome.failed("request failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RequestOutcome.failed("interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                return RequestOutcome.failed(httpError(response.statusCode(), body));
            }
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            if (!contentType.isEmpty() && !contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
                return RequestOutcome.failed("the server answered with " + contentType + ", not an event stream");
            }
            return readStream(body, sent, deadline);
        } catch (IOException e) {
            return RequestOutcome.failed("reading the response failed: " + describe(e));
        }
    }

    private RequestOutcome readStream(InputStream body, long sent, long deadline) {
        // HttpRequest.timeout covers only the wait for headers; a stream that stalls or never ends is
        // cut at the deadline by closing its body, which wakes the blocked read.
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> cut = watchdog.schedule(() -> {
            timedOut.set(true);
            try {
                body.close();
            } catch (IOException ignored) {
                // Already closed: the read has ended anyway.
            }
        }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        StreamTimer timer = new StreamTimer(sent);
        try {
            SseReader reader = new SseReader(body);
            SseReader.Event event;
            while ((event = reader.next()) != null) {
                long now = System.nanoTime();
                String data = event.data();
                if (data.strip().equals("[DONE]")) {
                    return timer.done();
                }
                JsonNode chunk;
                try {
                    chunk = json.readTree(data);
                } catch (JacksonException e) {
                    return timer.failed("malformed event data: " + abbreviate(data));
                }
                if (event.type().equals("error") || chunk.has("error")) {
                    return timer.failed("error event: " + errorMessage(chunk, data));
                }
                timer.chunk(chunk, now);
            }
            // Servers end with "data: [DONE]"; a stream that stops without it and without a finish_reason
            // was cut short.
            return timer.finished() ? timer.done() : timer.failed("the stream ended before [DONE]");
        } catch (IOException e) {
            return timedOut.get()
                    ? timer.failed("not finished within " + seconds(options.requestTimeout()))
                    : timer.failed("the stream broke: " + describe(e));
        } finally {
            cut.cancel(false);
        }
    }

    private String body(String prompt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", options.model());
        body.put("messages", List.of(Map.of("role", "user", "content", prompt)));
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));
        body.put("max_tokens", options.maxTokens());
        body.put("temperature", options.temperature());
        return json.writeValueAsString(body);
    }

    private String httpError(int status, InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_ERROR_BODY_BYTES);
        String text = new String(bytes, StandardCharsets.UTF_8);
        String message;
        try {
            message = errorMessage(json.readTree(text), text);
        } catch (JacksonException e) {
            message = abbreviate(text);
        }
        String redirect = status / 100 == 3 ? " (redirects are not followed: only " + options.target() + " is benchmarked)" : "";
        return "HTTP " + status + (message.isBlank() ? "" : ": " + message) + redirect;
    }

    /** OpenAI's {@code {"error":{"message":…}}}, or the shapes other servers use, or the raw text. */
    private static String errorMessage(JsonNode node, String raw) {
        JsonNode error = node.path("error");
        if (error.isString()) {
            return error.asString();
        }
        if (error.path("message").isString()) {
            return error.path("message").asString();
        }
        if (node.path("message").isString()) {
            return node.path("message").asString();
        }
        return abbreviate(raw);
    }

    static String abbreviate(String s) {
        String oneLine = s.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3gs", d.toNanos() / 1e9);
    }

    /** Timestamps of one stream's content-bearing chunks and what its last chunks said. */
    private static final class StreamTimer {
        private final long sent;
        private long firstContent = -1;
        private long lastContent;
        private long[] gaps = new long[64];
        private int gapCount;
        private int contentChunks;
        private int usageTokens = -1;
        private boolean finishReasonSeen;

        StreamTimer(long sent) {
            this.sent = sent;
        }

        void chunk(JsonNode chunk, long now) {
            JsonNode usage = chunk.path("usage");
            if (usage.path("completion_tokens").isIntegralNumber()) {
                usageTokens = usage.path("completion_tokens").asInt();
            }
            for (JsonNode choice : chunk.path("choices")) {
                if (!choice.path("finish_reason").isNull() && !choice.path("finish_reason").isMissingNode()) {
                    finishReasonSeen = true;
                }
                JsonNode delta = choice.path("delta");
                // Reasoning models stream their thinking as reasoning_content before any content; it is
                // generated output all the same.
                if (nonEmpty(delta.path("content")) || nonEmpty(delta.path("reasoning_content"))) {
                    content(now);
                    return;
                }
            }
        }

        private static boolean nonEmpty(JsonNode text) {
            return text.isString() && !text.asString().isEmpty();
        }

        private void content(long now) {
            if (firstContent < 0) {
                firstContent = now - sent;
            } else {
                if (gapCount == gaps.length) {
                    gaps = Arrays.copyOf(gaps, gapCount * 2);
                }
                gaps[gapCount++] = now - lastContent;
            }
            lastContent = now;
            contentChunks++;
        }

        boolean finished() {
            return finishReasonSeen;
        }

        RequestOutcome done() {
            return new RequestOutcome(null, firstContent, Arrays.copyOf(gaps, gapCount), contentChunks, usageTokens);
        }

        RequestOutcome failed(String error) {
            return new RequestOutcome(error, firstContent, Arrays.copyOf(gaps, gapCount), contentChunks, usageTokens);
        }
    }
}
