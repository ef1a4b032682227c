package dev.llmplatform.engine.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Splits text into plain-text fragments and special tokens written in it, the way llama.cpp's
 * {@code tokenizer_st_partition} does: special tokens are tried longest text first, each claiming every
 * non-overlapping occurrence in the text not yet claimed. User-defined tokens are always split out
 * (as Hugging Face's added tokens are); control and unknown tokens only when asked to parse specials.
 */
final class SpecialTokenPartitioner {
    /** One piece of the partitioned text. */
    sealed interface Fragment permits Text, Token {
    }

    record Text(String text) implements Fragment {
    }

    record Token(int id) implements Fragment {
    }

    private static final int RAW = -1;
    private static final int DROPPED = -2;

    private final Vocabulary vocab;
    /** Special token ids, longest text first (ties by id, for a deterministic order). */
    private final int[] candidates;

    SpecialTokenPartitioner(Vocabulary vocab) {
        this.vocab = vocab;
        this.candidates = IntStream.range(0, vocab.size())
                .filter(id -> vocab.type(id).isSpecial())
                .boxed()
                .sorted(Comparator.comparingInt((Integer id) -> -vocab.text(id).length()).thenComparingInt(id -> id))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    List<Fragment> partition(String text, boolean parseSpecial) {
        if (text.isEmpty()) {
            return List.of();
        }
        int n = text.length();
        int[] claim = null; // per char: RAW, DROPPED, or the id of the special token covering it
        // where each first character occurs, found once per character rather than once per token:
        // vocabularies may have thousands of added tokens sharing a few first characters
        Map<Character, int[]> occurrences = new HashMap<>();
        for (int id : candidates) {
            if (!parseSpecial && vocab.type(id) != TokenType.USER_DEFINED) {
                continue;
            }
            String special = vocab.text(id);
            int len = special.length();
            int nextFree = 0; // this token's matches do not overlap each other
            for (int p : occurrences.computeIfAbsent(special.charAt(0), c -> positionsOf(text, c))) {
                if (p < nextFree || !text.startsWith(special, p) || (claim != null && !allRaw(claim, p, len))) {
                    continue;
                }
                if (claim == null) {
                    claim = new int[n];
                    Arrays.fill(claim, RAW);
                }
                Arrays.fill(claim, p, p + len, id);
                if (vocab.rstrip(id)) {
                    for (int q = p + len; q < n && claim[q] == RAW && isAsciiSpace(text.charAt(q)); q++) {
                        claim[q] = DROPPED;
                    }
                }
                nextFree = p + len;
            }
        }
        return claim == null ? List.of(new Text(text)) : fragments(text, claim);
    }

    private List<Fragment> fragments(String text, int[] claim) {
        List<Fragment> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (claim[i] == RAW) {
                int end = i;
                while (end < n && claim[end] == RAW) {
                    end++;
                }
                out.add(new Text(text.substring(i, end)));
                i = end;
            } else if (claim[i] == DROPPED) {
                i++;
            } else {
                int id = claim[i];
                out.add(new Token(id));
                i += vocab.text(id).length();
            }
        }
        return out;
    }

    private static int[] positionsOf(String text, char c) {
        IntArrayBuilder positions = new IntArrayBuilder(8);
        for (int p = text.indexOf(c); p >= 0; p = text.indexOf(c, p + 1)) {
            positions.add(p);
        }
        return positions.toArray();
    }

    private static boolean allRaw(int[] claim, int from, int len) {
        for (int i = from; i < from + len; i++) {
            if (claim[i] != RAW) {
                return false;
            }
        }
        return true;
    }

    /** C's isspace in the "C" locale, which llama.cpp uses for stripping. */
    private static boolean isAsciiSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
