package dev.llmplatform.rag.prompt;

import dev.llmplatform.rag.TokenCounter;
import dev.llmplatform.rag.retrieval.SearchHit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts retrieved passages into a conversation as numbered sources (the template is documented in
 * {@code docs/rag.md}):
 * <pre>
 * INSTRUCTIONS
 *
 * Sources:
 * [1] Title (p. 3) — passage text
 *
 * [2] Other title — passage text
 * </pre>
 * The block becomes the system message (appended after the caller's own system message, if there is
 * one). Passages are added best first while they fit the token budget; the first one that does not fit
 * is shortened at a word boundary if a useful part of it fits, and the rest are left out.
 */
public final class GroundedPromptBuilder {
    public static final String DEFAULT_INSTRUCTIONS = """
            Answer the user's question using only the numbered sources below. After each statement, cite \
            the source it comes from with its number in square brackets, like [1] or [2][3]. If the sources \
            do not contain the answer, say that you do not know rather than guessing.""";

    /** A shortened passage shorter than this (in tokens) is not worth its place. */
    private static final int MIN_PASSAGE_TOKENS = 24;
    private static final Pattern CITATION_MARK = Pattern.compile("\\[(\\d{1,3})]");

    private final String instructions;

    public GroundedPromptBuilder() {
        this(DEFAULT_INSTRUCTIONS);
    }

    public GroundedPromptBuilder(String instructions) {
        this.instructions = instructions;
    }

    /**
     * @param messages    the conversation as the client sent it
     * @param hits        retrieved passages, best first
     * @param tokenBudget the most tokens the instructions and sources may add (typically the model's
     *                    context minus the conversation and the reply's reserve)
     * @param counter     the chat model's token counter
     * @return the augmented conversation and the citations numbered as in the prompt; with no passage
     *         that fits, the conversation unchanged and no citations
     */
    public GroundedPrompt build(List<ChatMessage> messages, List<SearchHit> hits, int tokenBudget, TokenCounter counter) {
        String header = instructions + "\n\nSources:";
        int used = counter.count(header);
        List<Citation> citations = new ArrayList<>();
        StringBuilder block = new StringBuilder(header);
        Set<String> seenTexts = new HashSet<>();
        for (SearchHit hit : hits) {
            if (!seenTexts.add(hit.text())) {
                continue; // the same passage twice (overlapping ingests) would waste budget
            }
            int index = citations.size() + 1;
            String label = "\n\n[" + index + "] " + label(hit) + " — ";
            int labelTokens = counter.count(label);
            int room = tokenBudget - used - labelTokens;
            if (room < MIN_PASSAGE_TOKENS) {
                break;
            }
            String text = hit.text().strip();
            int textTokens = counter.count(text);
            boolean shortened = false;
            if (textTokens > room) {
                text = prefixWithin(text, room, counter);
                textTokens = counter.count(text);
                shortened = true;
                if (textTokens < MIN_PASSAGE_TOKENS) {
                    break;
                }
            }
            block.append(label).append(text);
            used += labelTokens + textTokens;
            citations.add(new Citation(index, hit.documentId(), hit.title(), hit.source(), hit.page(), hit.score(), text));
            if (shortened) {
                break;
            }
        }
        if (citations.isEmpty()) {
            return new GroundedPrompt(List.copyOf(messages), List.of(), 0);
        }
        List<ChatMessage> out = new ArrayList<>(messages.size() + 1);
        if (!messages.isEmpty() && messages.getFirst().role().equals("system")) {
            out.add(new ChatMessage("system", messages.getFirst().content().strip() + "\n\n" + block));
            out.addAll(messages.subList(1, messages.size()));
        } else {
            out.add(new ChatMessage("system", block.toString()));
            out.addAll(messages);
        }
        return new GroundedPrompt(List.copyOf(out), List.copyOf(citations), used);
    }

    private static String label(SearchHit hit) {
        String title = hit.title() == null || hit.title().isBlank() ? hit.source() : hit.title();
        return title + (hit.page() != null ? " (p. " + hit.page() + ")" : "");
    }

    /** The longest word-boundary prefix of {@code text} within {@code tokens} tokens, with an ellipsis. */
    private static String prefixWithin(String text, int tokens, TokenCounter counter) {
        int lo = 0;
        int hi = text.length();
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (counter.count(text.substring(0, mid) + " …") <= tokens) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int cut = lo;
        while (cut > 0 && cut < text.length() && !Character.isWhitespace(text.charAt(cut))) {
            cut--;
        }
        if (cut == 0) {
            cut = lo;
        }
        if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut).strip() + " …";
    }

    /** The source numbers an answer cites with {@code [n]} markers, in order of first use. */
    public static List<Integer> citedIndices(String answer) {
        Set<Integer> out = new LinkedHashSet<>();
        Matcher m = CITATION_MARK.matcher(answer);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return List.copyOf(out);
    }

    /** The citations an answer refers to (markers without a matching source are ignored). */
    public static List<Citation> cited(String answer, List<Citation> citations) {
        List<Citation> out = new ArrayList<>();
        for (int n : citedIndices(answer)) {
            if (n >= 1 && n <= citations.size()) {
                out.add(citations.get(n - 1));
            }
        }
        return out;
    }
}
