package dev.llmplatform.engine.tokenizer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BPE merge ranks ({@code tokenizer.ggml.merges}, one "left right" per rank), looked up by the token
 * ids of the two sides so that merging needs no string building. Merges with a side that is not itself a
 * vocabulary token (absent from well-formed vocabularies) are kept by text, so lookups still agree with
 * llama.cpp's text-pair table in every case.
 */
final class MergeRanks {
    /** A merge: its rank and the id of the merged token (-1 if the concatenation is not a token). */
    record Merge(int rank, int resultId) {
    }

    private static final long EMPTY = -1L;

    private final long[] keys;
    private final long[] values;
    private final int mask;
    private final Map<String, Integer> byText = new HashMap<>();

    MergeRanks(List<String> merges, Vocabulary vocab) {
        int capacity = Integer.highestOneBit(Math.max(16, merges.size() * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
        for (int rank = 0; rank < merges.size(); rank++) {
            String merge = merges.get(rank);
            int space = merge.indexOf(' ', 1); // split as llama.cpp does: at the first space after the first char
            if (space < 0) {
                continue;
            }
            String left = merge.substring(0, space);
            String right = merge.substring(space + 1);
            int leftId = vocab.id(left);
            int rightId = vocab.id(right);
            if (leftId >= 0 && rightId >= 0) {
                putIfAbsent(key(leftId, rightId), ((long) rank << 32) | (vocab.id(left + right) & 0xFFFFFFFFL));
            } else {
                byText.putIfAbsent(left + ' ' + right, rank);
            }
        }
    }

    /** The merge of two adjacent tokens, or null. */
    Merge find(int leftId, int rightId) {
        long key = key(leftId, rightId);
        for (int slot = slot(key); keys[slot] != EMPTY; slot = (slot + 1) & mask) {
            if (keys[slot] == key) {
                return new Merge((int) (values[slot] >>> 32), (int) values[slot]);
            }
        }
        return null;
    }

    /** The rank of a pair at least one of whose sides is not a vocabulary token, or -1. */
    int rankByText(String left, String right) {
        if (byText.isEmpty()) {
            return -1;
        }
        Integer rank = byText.get(left + ' ' + right);
        return rank == null ? -1 : rank;
    }

    private void putIfAbsent(long key, long value) {
        int slot = slot(key);
        while (keys[slot] != EMPTY) {
            if (keys[slot] == key) {
                return; // the first (lowest) rank wins, as with llama.cpp's emplace
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = value;
    }

    private static long key(int leftId, int rightId) {
        return ((long) leftId << 32) | (rightId & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
