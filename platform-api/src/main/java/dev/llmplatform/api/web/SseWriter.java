package dev.llmplatform.api.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.ObjectMapper;

/**
 * Server-sent events as OpenAI streams them: each event one {@code data: JSON} line and a blank line,
 * flushed at once; the stream ends with {@code data: [DONE]}. A write that fails means the client went
 * away; the caller then stops generating.
 */
final class SseWriter {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ServletOutputStream out;
    private final HttpServletResponse response;
    private final ObjectMapper json;

    private SseWriter(HttpServletResponse response, ObjectMapper json) throws IOException {
        this.response = response;
        this.out = response.getOutputStream();
        this.json = json;
    }

    static SseWriter open(HttpServletResponse response, ObjectMapper json) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        response.flushBuffer();
        return new SseWriter(response, json);
    }

    void send(Object event) throws IOException {
        out.write(DATA);
        out.write(json.writeValueAsBytes(event));
        out.write(END);
        response.flushBuffer();
    }

    void done() throws IOException {
        out.write(DATA);
        out.write("[DONE]".getBytes(StandardCharsets.US_ASCII));
        out.write(END);
        response.flushBuffer();
    }
}
