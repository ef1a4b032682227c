package dev.llmplatform.api.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchmarkTargetTest {
    @Test
    void aRootOrAV1UrlNamesTheSameServer() {
        for (String url : new String[] {"http://127.0.0.1:8080", "http://127.0.0.1:8080/", "http://127.0.0.1:8080/v1",
                "http://127.0.0.1:8080/v1/", " http://127.0.0.1:8080/v1 "}) {
            BenchmarkTarget target = BenchmarkTarget.parse(url);
            assertThat(target.chatCompletions()).as(url).hasToString("http://127.0.0.1:8080/v1/chat/completions");
            assertThat(target.tokenize()).as(url).hasToString("http://127.0.0.1:8080/tokenize");
            assertThat(target).as(url).hasToString("http://127.0.0.1:8080");
        }
    }

    @Test
    void keepsAPathPrefixAndHttps() {
        BenchmarkTarget target = BenchmarkTarget.parse("HTTPS://gpu-box.local/llm/v1");
        assertThat(target.chatCompletions()).hasToString("https://gpu-box.local/llm/v1/chat/completions");
        assertThat(BenchmarkTarget.parse("http://[::1]:9000/v1").chatCompletions()).hasToString("http://[::1]:9000/v1/chat/completions");
    }

    @Test
    void rejectsWhatIsNotAPlainHttpUrl() {
        assertThatThrownBy(() -> BenchmarkTarget.parse("ftp://127.0.0.1/")).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> BenchmarkTarget.parse("127.0.0.1:8080")).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> BenchmarkTarget.parse("http:///v1")).hasMessageContaining("no host");
        assertThatThrownBy(() -> BenchmarkTarget.parse("http://user:pw@127.0.0.1/")).hasMessageContaining("--api-key");
        assertThatThrownBy(() -> BenchmarkTarget.parse("http://127.0.0.1/v1?x=1")).hasMessageContaining("query");
        assertThatThrownBy(() -> BenchmarkTarget.parse("http://127.0.0.1 /v1")).hasMessageContaining("not a URL");
        assertThatThrownBy(() -> BenchmarkTarget.parse("")).hasMessageContaining("empty");
    }
}
