package dev.llmplatform.structured.testing;

import dev.llmplatform.engine.tokenizer.SpecialTokens;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small byte-level vocabulary for tests: every single byte, some multi-byte pieces (including
 * pieces that split UTF-8 characters and pieces spanning JSON punctuation), an EOS and a control
 * token (both with no bytes). Encodes greedily by longest match.
 */
public final class ByteVocabTokenizer implements Tokenizer {
    private final List<byte[]> tokens = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final int eos;
    private int maxLen;

    public ByteVocabTokenizer(List<String> pieces, List<byte[]> rawPieces) {
        for (int b = 0; b < 256; b++) {
            add(new byte[] {(byte) b});
        }
        for (String p : pieces) {
            add(p.getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] p : rawPieces) {
            add(p);
        }
        tokens.add(new byte[0]); // control token: never allowed
        eos = tokens.size();
        tokens.add(new byte[0]);
    }

    /** The default test vocabulary: JSON-ish pieces plus {@code randomPieces} random ASCII strings. */
    public static ByteVocabTokenizer standard(int randomPieces, long seed) {
        List<String> pieces = new ArrayList<>(List.of("{\"", "\":", "\",", "\"}", "\":\"", "\",\"", "true", "false",
                "null", " the", "name", "ab", "abc", "123", "\n  ", " \"", "\"]", "[\"", "},{", "\\n", "\\\"", "\\u00",
                "0.5", "-1", "e+", "é", "中文", "😀", "}]", "\"\n", "2024-", "-01-", "T12:", ":00Z", "@example.com",
                "http://", "true}", "null,", "id", "\":[", "],\"", " ", "  ", "\":{\"", "x\"", "type", "value", "items"));
        Random r = new Random(seed);
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789\"{}[],:. -_\\";
        for (int i = 0; i < randomPieces; i++) {
            int len = 2 + r.nextInt(5);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < len; k++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            pieces.add(sb.toString());
        }
        byte[] zh = "中".getBytes(StandardCharsets.UTF_8);
        byte[] smile = "😀".getBytes(StandardCharsets.UTF_8);
        List<byte[]> raw = List.of(new byte[] {zh[0], zh[1]}, new byte[] {zh[2], '"'}, new byte[] {smile[0], smile[1]},
                new byte[] {smile[2], smile[3]}, new byte[] {'"', zh[0]});
        return new ByteVocabTokenizer(pieces, raw);
    }

    private void add(byte[] b) {
        String key = new String(b, StandardCharsets.ISO_8859_1);
        if (!index.containsKey(key)) {
            index.put(key, tokens.size());
        }
        tokens.add(b);
        maxLen = Math.max(maxLen, b.length);
    }

    @Override
    public int[] encode(String text, boolean parseSpecial) {
        return encodeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public int[] encodeBytes(byte[] bytes) {
        List<Integer> out = new ArrayList<>();
        int pos = 0;
        while (pos < bytes.length) {
            for (int len = Math.min(maxLen, bytes.length - pos); len >= 1; len--) {
                Integer id = index.get(new String(bytes, pos, len, StandardCharsets.ISO_8859_1));
                if (id != null) {
                    out.add(id);
                    pos += len;
                    break;
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            out.writeBytes(tokens.get(id));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] tokenBytes(int id) {
        return tokens.get(id).clone();
    }

    @Override
    public String tokenText(int id) {
        return new String(tokens.get(id), StandardCharsets.UTF_8);
    }

    @Override
    public int vocabularySize() {
        return tokens.size();
    }

    @Override
    public SpecialTokens specialTokens() {
        return new SpecialTokens(-1, eos, -1, -1, -1, false, false);
    }

    public int eos() {
        return eos;
    }
}
