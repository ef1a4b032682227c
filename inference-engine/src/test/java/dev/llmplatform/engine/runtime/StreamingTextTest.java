package dev.llmplatform.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Stop strings over streamed text (UTF-8 reassembly across tokens is the tokenizer's StreamingDecoder, tested there). */
class StreamingTextTest {

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
