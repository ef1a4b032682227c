package dev.llmplatform.guardrails.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class DenyListDetectorTest {
    private final DenyListDetector detector = new DenyListDetector(List.of("darn", "heck off", "# a comment", " "));

    private List<String> found(String text) {
        return detector.detect(text).stream().map(f -> text.substring(f.start(), f.end())).toList();
    }

    @Test
    void wholeWordsAndPhrasesInAnyCase() {
        assertThat(found("Oh DARN it, just heck off!")).containsExactly("DARN", "heck off");
        assertThat(detector.detect("darn")).singleElement().extracting(Finding::category).isEqualTo(Category.DENY_LIST);
    }

    @Test
    void partsOfOtherWordsAndCommentsAreNotFindings() {
        assertThat(found("The darned socks were darning material; check off the list.")).isEmpty();
        assertThat(found("a comment")).isEmpty();
        assertThat(new DenyListDetector(List.of()).detect("anything")).isEmpty();
    }
}
