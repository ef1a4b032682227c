package dev.llmplatform.engine.benchmark;

import java.util.ArrayList;
import java.util.List;

/**
 * A GPT-2-style byte-level BPE vocabulary of any size, for random-weight benchmark models: the 256 byte
 * tokens (in GPT-2's byte-to-character mapping), then every two-byte and as many three-byte tokens as
 * fit, each with the merge that makes it, then Llama-3-style special tokens at the top ids. It loads
 * and tokenizes like a real vocabulary, without shipping one.
 */
public final class BenchmarkVocabulary {
    /** GGUF token types. */
    public static final int NORMAL = 1;
    public static final int CONTROL = 3;

    private static final String[] LLAMA3_SPECIALS = {
        "<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
        "<|finetune_right_pad_id|>", "<|reserved_special_token_2|>", "<|start_header_id|>", "<|end_header_id|>",
        "<|eom_id|>", "<|eot_id|>", "<|python_tag|>",
    };

    private final String[] tokens;
    private final int[] types;
    private final String[] merges;
    private final int bos;
    private final int eos;

    public BenchmarkVocabulary(int size, int specialCount) {
        int regular = size - specialCount;
        if (regular < 256 || specialCount < LLAMA3_SPECIALS.length) {
            throw new IllegalArgumentException("vocabulary of " + size + " with " + specialCount + " special tokens is too small");
        }
        tokens = new String[size];
        types = new int[size];
        List<String> mergeList = new ArrayList<>();
        String[] byteChars = byteToUnicode();
        int id = 0;
        for (int b = 0; b < 256; b++) {
            tokens[id++] = byteChars[b];
        }
        outer:
        for (int length = 2; length <= 3; length++) {
            for (int a = 0; a < 256; a++) {
                for (int b = 0; b < 256; b++) {
                    for (int c = 0; c < (length == 3 ? 256 : 1); c++) {
                        if (id == regular) {
                            break outer;
                        }
                        if (length == 2) {
                            tokens[id++] = byteChars[a] + byteChars[b];
                            mergeList.add(byteChars[a] + " " + byteChars[b]);
                        } else {
                            tokens[id++] = byteChars[a] + byteChars[b] + byteChars[c];
                            mergeList.add(byteChars[a] + byteChars[b] + " " + byteChars[c]);
                        }
                    }
                }
            }
        }
        java.util.Arrays.fill(types, 0, regular, NORMAL);
        for (int s = 0; s < specialCount; s++) {
            tokens[regular + s] = s < LLAMA3_SPECIALS.length ? LLAMA3_SPECIALS[s]
                    : "<|reserved_special_token_" + (s - LLAMA3_SPECIALS.length + 3) + "|>";
            types[regular + s] = CONTROL;
        }
        merges = mergeList.toArray(String[]::new);
        bos = regular;      // <|begin_of_text|>
        eos = regular + 9;  // <|eot_id|>
    }

    /** GPT-2's reversible mapping of bytes to printable characters (spaces and controls shifted past 255). */
    static String[] byteToUnicode() {
        String[] out = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[b] = Character.toString(printable ? b : next++);
        }
        return out;
    }

    public String[] tokens() {
        return tokens;
    }

    public int[] types() {
        return types;
    }

    public String[] merges() {
        return merges;
    }

    public int bos() {
        return bos;
    }

    public int eos() {
        return eos;
    }
}
