package dev.llmplatform.structured.testing;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufMetadata;
import dev.llmplatform.engine.tokenizer.SpecialTokens;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test stand-in for a GGUF vocabulary until the real tokenizers are available: exact token bytes
 * (GPT-2 byte-level alphabet or SentencePiece with {@code ▁} and {@code <0xXX>} byte tokens) and a
 * greedy longest-match encoder. Any tokenization whose bytes concatenate to the text is a valid walk
 * for the grammar engine, so this is enough to exercise the engine on the real vocabularies.
 */
public final class GgufGreedyTokenizer implements Tokenizer {
    private final byte[][] bytes;
    private final String[] texts;
    private final Map<String, Integer> index = new HashMap<>();
    private final SpecialTokens special;
    private int maxLen;

    public GgufGreedyTokenizer(Path gguf) {
        try (GgufFile f = GgufFile.open(gguf)) {
            GgufMetadata md = f.metadata();
            texts = md.strings("tokenizer.ggml.tokens").orElseThrow();
            int[] types = md.ints("tokenizer.ggml.token_type").orElse(new int[texts.length]);
            boolean byteLevel = md.string("tokenizer.ggml.model").orElse("").equals("gpt2");
            int[] unicodeToByte = byteLevel ? gpt2ByteDecoder() : null;
            bytes = new byte[texts.length][];
            for (int i = 0; i < texts.length; i++) {
                int type = i < types.length ? types[i] : 1;
                String t = texts[i];
                if (type == 3 || type == 2 || type == 4 || type == 5 && false) {
                    bytes[i] = new byte[0];
                } else if (type == 6 && t.matches("<0x[0-9A-Fa-f]{2}>")) {
                    bytes[i] = new byte[] {(byte) Integer.parseInt(t.substring(3, 5), 16)};
                } else if (byteLevel) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    boolean ok = true;
                    for (int k = 0; k < t.length(); k++) {
                        int c = t.charAt(k);
                        if (c < unicodeToByte.length && unicodeToByte[c] >= 0) {
                            out.write(unicodeToByte[c]);
                        } else {
                            ok = false;
                        }
                    }
                    bytes[i] = ok ? out.toByteArray() : t.getBytes(StandardCharsets.UTF_8);
                } else {
                    bytes[i] = t.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
                }
                if (bytes[i].length > 0) {
                    String key = new String(bytes[i], StandardCharsets.ISO_8859_1);
                    index.putIfAbsent(key, i);
                    maxLen = Math.max(maxLen, bytes[i].length);
                }
            }
            special = new SpecialTokens(md.intOr("tokenizer.ggml.bos_token_id", -1),
                    md.intOr("tokenizer.ggml.eos_token_id", -1), md.intOr("tokenizer.ggml.eot_token_id", -1),
                    md.intOr("tokenizer.ggml.unknown_token_id", -1), md.intOr("tokenizer.ggml.padding_token_id", -1),
                    false, false);
        }
    }

    private static int[] gpt2ByteDecoder() {
        int[] map = new int[512];
        java.util.Arrays.fill(map, -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (printable) {
                map[b] = b;
            } else {
                map[256 + n] = b;
                n++;
            }
        }
        return map;
    }

    @Override
    public int[] encode(String text, boolean parseSpecial) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        List<Integer> out = new ArrayList<>();
        int pos = 0;
        while (pos < b.length) {
            boolean found = false;
            for (int len = Math.min(maxLen, b.length - pos); len >= 1; len--) {
                Integer id = index.get(new String(b, pos, len, StandardCharsets.ISO_8859_1));
                if (id != null) {
                    out.add(id);
                    pos += len;
                    found = true;
                    break;
                }
            }
            if (!found) {
                throw new IllegalArgumentException("byte " + (b[pos] & 0xFF) + " not in vocabulary");
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            out.writeBytes(bytes[id]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] tokenBytes(int id) {
        return bytes[id].clone();
    }

    @Override
    public String tokenText(int id) {
        return texts[id];
    }

    @Override
    public int vocabularySize() {
        return bytes.length;
    }

    @Override
    public SpecialTokens specialTokens() {
        return special;
    }
}
