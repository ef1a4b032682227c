package dev.llmplatform.structured.matcher;

import dev.llmplatform.engine.tokenizer.SpecialTokens;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte strings of a vocabulary arranged in a {@link ByteTrie}, plus the end-of-generation ids.
 * Tokens with no bytes (control tokens) are never allowed by a grammar; EOS/EOT are allowed exactly
 * when the grammar can end. Build once per tokenizer and share.
 */
public final class TokenVocabulary {
    final int size;
    final byte[][] bytes;
    final int[] endIds;
    final ByteTrie trie;

    public TokenVocabulary(byte[][] tokenBytes, int[] endOfGenerationIds) {
        this.size = tokenBytes.length;
        this.bytes = tokenBytes;
        this.endIds = endOfGenerationIds.clone();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (tokenBytes[i] != null && tokenBytes[i].length > 0 && !isEnd(i)) {
                ids.add(i);
            }
        }
        byte[][] strings = new byte[ids.size()][];
        int[] idArray = new int[ids.size()];
        for (int k = 0; k < idArray.length; k++) {
            idArray[k] = ids.get(k);
            strings[k] = tokenBytes[idArray[k]];
        }
        this.trie = new ByteTrie(strings, idArray, Math.max(0, size - 1));
    }

    public static TokenVocabulary of(Tokenizer tokenizer) {
        int n = tokenizer.vocabularySize();
        byte[][] bytes = new byte[n][];
        for (int i = 0; i < n; i++) {
            bytes[i] = tokenizer.tokenBytes(i);
        }
        SpecialTokens sp = tokenizer.specialTokens();
        List<Integer> ends = new ArrayList<>();
        for (int id : new int[] {sp.eos(), sp.eot()}) {
            if (id >= 0 && id < n && !ends.contains(id)) {
                ends.add(id);
            }
        }
        return new TokenVocabulary(bytes, ends.stream().mapToInt(Integer::intValue).toArray());
    }

    public int size() {
        return size;
    }

    public byte[] tokenBytes(int id) {
        return bytes[id];
    }

    public boolean isEnd(int id) {
        for (int e : endIds) {
            if (e == id) {
                return true;
            }
        }
        return false;
    }

    public int[] endIds() {
        return endIds.clone();
    }

    /** Number of trie nodes (distinct non-empty token prefixes + 1). */
    public int trieNodes() {
        return trie.nodeCount;
    }
}
