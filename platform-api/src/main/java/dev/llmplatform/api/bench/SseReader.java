package dev.llmplatform.api.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream} body one event at a time, as the HTML server-sent events
 * specification describes: lines end in LF, CR or CRLF; a line starting with {@code :} is a comment;
 * {@code data} lines accumulate (joined by LF) until a blank line dispatches the event; an event with no
 * data is not dispatched, and neither is an unterminated event at end of stream. Fields other than
 * {@code event} and {@code data} ({@code id}, {@code retry}, unknown ones) are ignored: a benchmark does not
 * reconnect.
 */
public final class SseReader {
    /** One dispatched event: its type ({@code message} unless an {@code event:} field said otherwise) and data. */
    public record Event(String type, String data) {}

    /** Longest line accepted, so a server that never sends a line end cannot exhaust the heap. */
    static final int MAX_LINE_BYTES = 8 << 20;

    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private boolean skipLineFeed;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    public SseReader(InputStream in) {
        this.in = in;
    }

    /** The next event, or {@code null} at the end of the stream. Blocks until a whole event has arrived. */
    public Event next() throws IOException {
        StringBuilder data = null;
        String type = null;
        String l;
        while ((l = readLine()) != null) {
            if (l.isEmpty()) {
                if (data != null) {
                    return new Event(type == null || type.isEmpty() ? "message" : type, data.toString());
                }
                type = null;
                continue;
            }
            if (l.charAt(0) == ':') {
                continue;
            }
            int colon = l.indexOf(':');
            String field = colon < 0 ? l : l.substring(0, colon);
            String value = colon < 0 ? "" : l.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            } else if (field.equals("event")) {
                type = value;
            }
        }
        return null;
    }

    /** One line without its terminator, or {@code null} at the end of the stream. */
    private String readLine() throws IOException {
        line.reset();
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    // A last line without a terminator still counts as a line; no line at all is the end.
                    return line.size() > 0 ? line.toString(StandardCharsets.UTF_8) : null;
                }
            }
            byte b = buffer[position++];
            if (skipLineFeed) {
                skipLineFeed = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\r') {
                // CRLF: the LF may arrive in the next read, so remember to swallow it then.
                skipLineFeed = true;
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw new IOException("event-stream line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
    }
}
