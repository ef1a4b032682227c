package dev.llmplatform.guardrails.text;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * Undoes the tricks that hide text from filters, before any other detector runs:
 * <ul>
 *   <li>zero-width characters, bidi controls, soft hyphens and the BOM are removed;</li>
 *   <li>Unicode tag characters (U+E0020..U+E007E, invisible "ASCII smuggling") are decoded to the ASCII
 *       they stand for, so the injection rules see the hidden instruction;</li>
 *   <li>full-width ASCII forms become ASCII;</li>
 *   <li>in words that mix Latin with Cyrillic or Greek letters, the look-alike letters become Latin
 *       (a word entirely in Cyrillic or Greek is left alone: it is a real word of that language).</li>
 * </ul>
 * Each removal or fold is reported as a finding ({@code INVISIBLE_TEXT}, {@code HOMOGLYPHS}).
 */
public final class TextNormalizer {
    private static final String DETECTOR = "normalizer";

    public NormalizedText normalize(String input) {
        List<Finding> findings = new ArrayList<>();
        StringBuilder out = new StringBuilder(input.length());
        int hiddenStart = -1;
        for (int i = 0; i < input.length(); ) {
            int cp = input.codePointAt(i);
            i += Character.charCount(cp);
            if (cp >= 0xE0020 && cp <= 0xE007E) {
                if (hiddenStart < 0) {
                    hiddenStart = out.length();
                }
                out.append((char) (cp - 0xE0000));
                continue;
            }
            if (hiddenStart >= 0) {
                findings.add(new Finding(Category.INVISIBLE_TEXT, hiddenStart, out.length(), 0.95, DETECTOR + ":tag-characters"));
                hiddenStart = -1;
            }
            if (isInvisible(cp)) {
                findings.add(new Finding(Category.INVISIBLE_TEXT, out.length(), out.length(), 0.8, DETECTOR + ":invisible"));
                continue;
            }
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                out.append((char) (cp - 0xFEE0));
                continue;
            }
            out.appendCodePoint(cp);
        }
        if (hiddenStart >= 0) {
            findings.add(new Finding(Category.INVISIBLE_TEXT, hiddenStart, out.length(), 0.95, DETECTOR + ":tag-characters"));
        }
        foldMixedScriptWords(out, findings);
        return new NormalizedText(out.toString(), mergeAdjacent(findings));
    }

    static boolean isInvisible(int cp) {
        return (cp >= 0x200B && cp <= 0x200F) // zero-width space/joiners, LRM/RLM
                || (cp >= 0x202A && cp <= 0x202E) // bidi embeddings and overrides
                || (cp >= 0x2060 && cp <= 0x2064) // word joiner, invisible operators
                || (cp >= 0x2066 && cp <= 0x2069) // bidi isolates
                || cp == 0xFEFF || cp == 0x00AD || cp == 0x180E || cp == 0x034F
                || (cp >= 0xE0000 && cp <= 0xE007F) // remaining tag characters (begin/cancel)
                || (cp >= 0xFE00 && cp <= 0xFE0F); // variation selectors
    }

    private static void foldMixedScriptWords(StringBuilder text, List<Finding> findings) {
        int i = 0;
        while (i < text.length()) {
            if (!Character.isLetter(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            boolean latin = false;
            boolean lookalike = false;
            while (i < text.length() && Character.isLetter(text.charAt(i))) {
                char c = text.charAt(i);
                if (c < 0x250) {
                    latin = true;
                } else if (Homoglyphs.latinFor(c) != 0) {
                    lookalike = true;
                }
                i++;
            }
            if (latin && lookalike) {
                for (int k = start; k < i; k++) {
                    char folded = Homoglyphs.latinFor(text.charAt(k));
                    if (folded != 0) {
                        text.setCharAt(k, folded);
                    }
                }
                findings.add(new Finding(Category.HOMOGLYPHS, start, i, 0.9, DETECTOR + ":mixed-script"));
            }
        }
    }

    /** Consecutive zero-width removals at one position become one finding. */
    private static List<Finding> mergeAdjacent(List<Finding> findings) {
        List<Finding> merged = new ArrayList<>();
        for (Finding f : findings) {
            Finding last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && last.category().equals(f.category()) && last.detector().equals(f.detector())
                    && f.start() <= last.end() && f.start() >= last.start()) {
                merged.set(merged.size() - 1, new Finding(last.category(), last.start(), Math.max(last.end(), f.end()),
                        Math.max(last.score(), f.score()), last.detector()));
            } else {
                merged.add(f);
            }
        }
        return merged;
    }
}
