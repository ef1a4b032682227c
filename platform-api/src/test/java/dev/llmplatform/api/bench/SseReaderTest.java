package dev.llmplatform.api.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {
    private static List<SseReader.Event> read(InputStream in) throws IOException {
        SseReader reader = new SseReader(in);
        List<SseReader.Event> events = new ArrayList<>();
        for (SseReader.Event e = reader.next(); e != null; e = reader.next()) {
            events.add(e);
        }
        return events;
    }

    private static List<SseReader.Event> read(String stream) throws IOException {
        return read(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));
    }

    /** Hands out one byte per read, so every line end and event boundary falls between reads somewhere. */
    private static InputStream trickling(String stream) {
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            int i;

            @Override
            public int read() {
                return i < bytes.length ? bytes[i++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[i++];
                return 1;
            }
        };
    }

    @Test
    void readsDataEventsSeparatedByBlankLines() throws IOException {
        assertThat(read("data: {\"a\":1}\n\ndata: [DONE]\n\n"))
                .containsExactly(new SseReader.Event("message", "{\"a\":1}"), new SseReader.Event("message", "[DONE]"));
    }

    @Test
    void acceptsCrLfAndLoneCrLineEndsEvenSplitAcrossReads() throws IOException {
        String stream = "data: one\r\n\r\ndata: two\r\rdata:three\n\n";
        List<SseReader.Event> expected = List.of(new SseReader.Event("message", "one"),
                new SseReader.Event("message", "two"), new SseReader.Event("message", "three"));
        assertThat(read(stream)).isEqualTo(expected);
        assertThat(read(trickling(stream))).isEqualTo(expected);
    }

    @Test
    void skipsCommentsAndOtherFieldsAndJoinsMultiLineData() throws IOException {
        String stream = ": ping\n\nid: 7\nretry: 100\ndata: first\ndata:  second\nunknown: x\n\n";
        // One space after the colon is part of the syntax, a second one is data.
        assertThat(read(stream)).containsExactly(new SseReader.Event("message", "first\n second"));
    }

    @Test
    void keepsTheEventTypeAndDropsEventsWithoutData() throws IOException {
        assertThat(read("event: error\ndata: {\"error\":\"x\"}\n\nevent: ping\n\ndata: y\n\n"))
                .containsExactly(new SseReader.Event("error", "{\"error\":\"x\"}"), new SseReader.Event("message", "y"));
    }

    @Test
    void dropsAnUnterminatedLastEventAndDecodesUtf8() throws IOException {
        assertThat(read(trickling("data: héllo → 世界\n\ndata: never dispatched\n")))
                .containsExactly(new SseReader.Event("message", "héllo → 世界"));
        assertThat(read("")).isEmpty();
    }

    @Test
    void refusesAnEndlessLine() {
        byte[] line = new byte[SseReader.MAX_LINE_BYTES + 10];
        Arrays.fill(line, (byte) 'a');
        assertThatThrownBy(() -> read(new ByteArrayInputStream(line))).isInstanceOf(IOException.class)
                .hasMessageContaining("longer than");
    }
}
