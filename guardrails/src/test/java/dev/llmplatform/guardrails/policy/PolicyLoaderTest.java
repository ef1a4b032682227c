package dev.llmplatform.guardrails.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.guardrails.Action;
import dev.llmplatform.guardrails.Category;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {
    @TempDir
    Path dir;

    @Test
    void builtInPoliciesLoad() {
        PolicySet set = PolicyLoader.loadDefault();
        assertThat(set.names()).contains("default", "fast", "monitor");
        Policy p = set.get(null);
        assertThat(p.action(Category.EMAIL_ADDRESS, Rail.INPUT)).isEqualTo(Action.REDACT);
        assertThat(p.action(Category.CREDIT_CARD, Rail.OUTPUT)).isEqualTo(Action.BLOCK);
        assertThat(p.action(Category.EMAIL_ADDRESS, Rail.OUTPUT)).isEqualTo(Action.FLAG);
        assertThat(p.action(Category.PROMPT_INJECTION, Rail.PASSAGE)).isEqualTo(Action.BLOCK);
        assertThat(set.get("fast").usesEmbeddings()).isFalse();
    }

    @Test
    void errorsNameThePolicyAndTheKey() {
        assertError("policies:\n  default:\n    actions: {EMAIL_ADDRESS: redakt}\n",
                "policy 'default', key 'actions.EMAIL_ADDRESS': unknown action 'redakt'");
        assertError("policies:\n  default: {}\n  strict:\n    input: [pii, telepathy]\n",
                "policy 'strict', key 'input': unknown detector 'telepathy'");
        assertError("policies:\n  default:\n    thresholds: {PII: 1.5}\n", "key 'thresholds.PII': expected a number between 0 and 1");
        assertError("policies:\n  default:\n    actions: {NOT_A_THING: block}\n", "key 'actions.NOT_A_THING': unknown category");
        assertError("policies:\n  default:\n    colour: blue\n", "policy 'default', key 'colour': unknown key");
        assertError("policies:\n  other: {}\n", "no policy named 'default'");
        assertError("policies: [\n", "not valid YAML");
        assertError("policies:\n  default:\n    deny_list: {file: missing.txt}\n", "key 'deny_list.file': cannot read");
        assertError("policies:\n  default:\n    output: [topics]\n", "cannot run on the streamed output rail");
    }

    @Test
    void denyListFilesResolveBesideThePolicyFile() throws Exception {
        Files.writeString(dir.resolve("words.txt"), "# comment\nfoo\nbar baz\n");
        Path file = Files.writeString(dir.resolve("p.yaml"), "policies:\n  default:\n    input: [deny_list]\n    deny_list: {file: words.txt, words: [qux]}\n");
        assertThat(PolicyLoader.load(file).get("default").denyTerms()).contains("foo", "bar baz", "qux");
        assertThatThrownBy(() -> PolicyLoader.load(dir.resolve("nope.yaml"))).isInstanceOf(PolicyException.class)
                .hasMessageContaining("does not exist");
    }

    private static void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> PolicyLoader.parse(yaml, "test.yaml", null))
                .isInstanceOf(PolicyException.class).hasMessageContaining(expected).hasMessageStartingWith("test.yaml");
    }
}
