package dev.llmplatform.rag.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.rag.TokenCounter;
import dev.llmplatform.rag.retrieval.SearchHit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroundedPromptBuilderTest {
    private static final TokenCounter WORDS = t -> t.isBlank() ? 0 : t.strip().split("\\s+").length;

    private static SearchHit hit(String id, String title, Integer page, String text, double score) {
        return new SearchHit(id, 0, score, text, title, id + ".pdf", page, 0, text.length(), Map.of());
    }

    private final List<SearchHit> hits = List.of(
            hit("a", "Leave policy", 3, "Staff get thirty days of leave.", 0.9),
            hit("b", "Travel policy", null, "Flights are booked through the travel desk.", 0.8),
            hit("c", "Kitchen", null, "Clean your mug.", 0.1));

    @Test
    void numbersSourcesInASystemMessageAndReturnsTheirCitations() {
        List<ChatMessage> chat = List.of(new ChatMessage("user", "How much leave do I get?"));
        GroundedPrompt p = new GroundedPromptBuilder().build(chat, hits, 1000, WORDS);
        assertThat(p.messages()).hasSize(2);
        ChatMessage system = p.messages().getFirst();
        assertThat(system.role()).isEqualTo("system");
        assertThat(system.content()).startsWith(GroundedPromptBuilder.DEFAULT_INSTRUCTIONS)
                .contains("\n\nSources:\n\n[1] Leave policy (p. 3) — Staff get thirty days of leave.")
                .contains("\n\n[2] Travel policy — Flights are booked through the travel desk.")
                .contains("[3] Kitchen — Clean your mug.");
        assertThat(p.messages().get(1)).isEqualTo(chat.getFirst());
        assertThat(p.citations()).extracting(Citation::index).containsExactly(1, 2, 3);
        Citation first = p.citations().getFirst();
        assertThat(first).isEqualTo(new Citation(1, "a", "Leave policy", "a.pdf", 3, 0.9, "Staff get thirty days of leave."));
        assertThat(p.contextTokens()).isEqualTo(WORDS.count(system.content()));
    }

    @Test
    void appendsToTheCallersSystemMessage() {
        List<ChatMessage> chat = List.of(new ChatMessage("system", "You are HR-bot."), new ChatMessage("user", "Leave?"));
        GroundedPrompt p = new GroundedPromptBuilder().build(chat, hits, 1000, WORDS);
        assertThat(p.messages()).hasSize(2);
        assertThat(p.messages().getFirst().content()).startsWith("You are HR-bot.\n\n" + GroundedPromptBuilder.DEFAULT_INSTRUCTIONS);
    }

    @Test
    void staysWithinTheTokenBudget() {
        String longText = "word ".repeat(200).strip();
        List<SearchHit> big = List.of(hit("a", "A", null, longText, 1), hit("b", "B", null, longText, 0.5));
        int header = WORDS.count(GroundedPromptBuilder.DEFAULT_INSTRUCTIONS + "\n\nSources:");
        int budget = header + 120;
        GroundedPrompt p = new GroundedPromptBuilder().build(List.of(new ChatMessage("user", "q")), big, budget, WORDS);
        assertThat(p.citations()).hasSize(1); // the first passage is shortened to fit, the second left out
        assertThat(p.citations().getFirst().text()).endsWith(" …");
        assertThat(p.contextTokens()).isLessThanOrEqualTo(budget);
        assertThat(WORDS.count(p.messages().getFirst().content())).isLessThanOrEqualTo(budget);
        // no room at all: the conversation is returned unchanged
        GroundedPrompt none = new GroundedPromptBuilder().build(List.of(new ChatMessage("user", "q")), big, header, WORDS);
        assertThat(none.citations()).isEmpty();
        assertThat(none.messages()).containsExactly(new ChatMessage("user", "q"));
    }

    @Test
    void answersMapCitationMarksToSources() {
        GroundedPrompt p = new GroundedPromptBuilder().build(List.of(new ChatMessage("user", "q")), hits, 1000, WORDS);
        String answer = "You get thirty days [1]. Book flights at the desk [2][1]. See also [9].";
        assertThat(GroundedPromptBuilder.citedIndices(answer)).containsExactly(1, 2, 9);
        assertThat(GroundedPromptBuilder.cited(answer, p.citations())).extracting(Citation::documentId).containsExactly("a", "b");
    }
}
