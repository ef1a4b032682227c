package dev.llmplatform.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamingTextTest {

    @Test
    void multiByteCharactersSplitAcrossTokensComeOutWhole() {
        byte[] bytes = "é東🚀".getBytes(StandardCharsets.UTF_8);
        Utf8StreamDecoder d = new Utf8StreamDecoder();
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            String s = d.push(new byte[] {b});
            assertThat(s).doesNotContain("\uFFFD");
            out.append(s);
        }
        out.append(d.finish());
        assertThat(out.toString()).isEqualTo("é東🚀");
    }

    @Test
    void anIncompleteCharacterAtTheEndBecomesAReplacement() {
        Utf8StreamDecoder d = new Utf8StreamDecoder();
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        assertThat(d.push(Arrays.copyOf(euro, 2))).isEmpty();
        assertThat(d.finish()).isEqualTo("\uFFFD");
    }

    @Test
    void stopStringsAreCutAndNeverLeak() {
        StopStringMatcher m = new StopStringMatcher(List.of("END", "\n\n"));
        StringBuilder out = new StringBuilder();
        for (String chunk : List.of("Hello E", "N", "x world\n", "E", "ND tail")) {
            out.append(m.push(chunk));
            assertThat(out.toString()).doesNotContain("END");
        }
        assertThat(m.stopped()).isTrue();
        assertThat(out.toString()).isEqualTo("Hello ENx world\n");
    }

    @Test
    void heldBackTextIsReleasedAtTheEnd() {
        StopStringMatcher m = new StopStringMatcher(List.of("STOP"));
        assertThat(m.push("abc ST")).isEqualTo("abc ");
        assertThat(m.stopped()).isFalse();
        assertThat(m.flush()).isEqualTo("ST");
    }
}
