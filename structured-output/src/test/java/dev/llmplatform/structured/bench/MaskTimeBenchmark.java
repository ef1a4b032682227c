package dev.llmplatform.structured.bench;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.testing.SharedTestData;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.engine.tokenizer.Tokenizers;
import dev.llmplatform.structured.gbnf.Grammar;
import dev.llmplatform.structured.json.Json;
import dev.llmplatform.structured.matcher.CompiledGrammar;
import dev.llmplatform.structured.matcher.GrammarCompiler;
import dev.llmplatform.structured.matcher.GrammarConstraint;
import dev.llmplatform.structured.matcher.MemberOrderSearch;
import dev.llmplatform.structured.matcher.TokenMasker;
import dev.llmplatform.structured.matcher.TokenVocabulary;
import dev.llmplatform.structured.schema.JsonSchemaCompiler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Per-token mask time and compile time for several schemas on the GPT-2 vocabulary (50,257 tokens)
 * and a synthetic Llama-3-sized one (128,256 tokens: GPT-2's plus Llama's plus concatenations).
 * Not a unit test: runs only with {@code LLMP_BENCH=1}; prints a table (numbers go in reports, not
 * assertions). Cold = first walk over a schema's instances (caches filling), warm = the same walks again.
 */
class MaskTimeBenchmark {
    private static final List<String> SCHEMAS = List.of("Glaiveai2K---calculate_area_da13baad.json",
            "BFCL_simple_131.json", "Kubernetes---kb_10_Normalized.json", "Snowplow---sp_101_Normalized.json",
            "WashingtonPost---wp_10_Normalized.json", "MCPspec---CallToolResult.json",
            "JsonSchemaStore---dependabot.json");

    @Test
    void report() throws Exception {
        Assumptions.assumeTrue(System.getenv("LLMP_BENCH") != null, "set LLMP_BENCH=1 to run the benchmark");
        byte[][] gpt2 = vocabBytes("tokenizer/ggml-vocab-gpt-2.gguf");
        byte[][] llama = vocabBytes("tokenizer/ggml-vocab-llama-spm.gguf");
        TokenVocabulary v50k = new TokenVocabulary(gpt2, new int[] {50256});
        byte[][] big = synthetic(gpt2, llama, 128_256);
        TokenVocabulary v128k = new TokenVocabulary(big, new int[] {big.length - 1});
        System.out.printf("%-45s %8s %10s %12s %12s %12s %12s%n", "schema", "vocab", "compile_ms", "cold_p50_us",
                "cold_p99_us", "warm_p50_us", "warm_p99_us");
        for (TokenVocabulary vocab : List.of(v50k, v128k)) {
            for (String file : SCHEMAS) {
                run(file, vocab);
            }
            runJsonMode(vocab);
        }
    }

    @SuppressWarnings("unchecked")
    private static void run(String file, TokenVocabulary vocab) throws Exception {
        Path p = SharedTestData.require("json-schema/maskbench/" + file);
        Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(p));
        long t0 = System.nanoTime();
        CompiledGrammar g;
        try {
            g = GrammarCompiler.compile(Grammar.parse(JsonSchemaCompiler.compile(doc.get("schema"), true).gbnf()));
        } catch (IllegalArgumentException e) {
            System.out.printf("%-45s not compiled: %s%n", file, e.getMessage());
            return;
        }
        TokenMasker masker = new TokenMasker(g, vocab);
        double compileMs = (System.nanoTime() - t0) / 1e6;
        List<String> texts = new ArrayList<>();
        for (Map<String, Object> t : (List<Map<String, Object>>) doc.get("tests")) {
            if (Boolean.TRUE.equals(t.get("valid"))) {
                String s = MemberOrderSearch.serialize(g, t.get("data"));
                if (s != null) {
                    texts.add(s);
                }
            }
        }
        report(file, vocab, masker, texts, compileMs);
    }

    private static void runJsonMode(TokenVocabulary vocab) {
        long t0 = System.nanoTime();
        TokenMasker masker = new TokenMasker(GrammarCompiler.compile(Grammar.parse(JsonSchemaCompiler.jsonObjectGrammar())),
                vocab);
        double compileMs = (System.nanoTime() - t0) / 1e6;
        report("json-mode (any object)", vocab, masker,
                List.of("{\"name\":\"Ada Lovelace\",\"born\":1815,\"tags\":[\"math\",\"engines\"],\"alive\":false,"
                        + "\"notes\":{\"a\":null,\"b\":[1.5e3,-2]}}"), compileMs);
    }

    private static void report(String name, TokenVocabulary vocab, TokenMasker masker, List<String> texts,
            double compileMs) {
        Greedy enc = new Greedy(vocab);
        long[] cold = walkAll(masker, texts, enc);
        long[] warm = walkAll(masker, texts, enc);
        System.out.printf("%-45s %8d %10.1f %12.1f %12.1f %12.1f %12.1f%n", name.length() > 45 ? name.substring(0, 45) : name,
                vocab.size(), compileMs, pct(cold, 0.5), pct(cold, 0.99), pct(warm, 0.5), pct(warm, 0.99));
    }

    private static long[] walkAll(TokenMasker masker, List<String> texts, Greedy enc) {
        List<Long> times = new ArrayList<>();
        for (String text : texts) {
            GrammarConstraint c = masker.newConstraint();
            BitSet allowed = new BitSet();
            for (int id : enc.encode(text)) {
                allowed.clear();
                long t0 = System.nanoTime();
                c.allowedTokens(allowed);
                times.add(System.nanoTime() - t0);
                if (!allowed.get(id)) {
                    throw new AssertionError("valid instance rejected: " + text);
                }
                c.accept(id);
            }
        }
        return times.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.floor(q * (sorted.length - 1))] / 1e3;
    }

    private static byte[][] vocabBytes(String rel) {
        try (GgufFile f = GgufFile.open(SharedTestData.require(rel))) {
            Tokenizer t = Tokenizers.fromGguf(f.metadata());
            byte[][] out = new byte[t.vocabularySize()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = t.tokenBytes(i);
            }
            return out;
        }
    }

    /** GPT-2's tokens, then Llama's, then concatenations of two random tokens, up to {@code size}; EOS last. */
    private static byte[][] synthetic(byte[][] a, byte[][] b, int size) {
        List<byte[]> out = new ArrayList<>(Arrays.asList(a));
        Map<String, Boolean> seen = new HashMap<>();
        for (byte[] x : a) {
            seen.put(new String(x, StandardCharsets.ISO_8859_1), true);
        }
        for (byte[] x : b) {
            if (x.length > 0 && seen.putIfAbsent(new String(x, StandardCharsets.ISO_8859_1), true) == null) {
                out.add(x);
            }
        }
        Random r = new Random(1);
        while (out.size() < size - 1) {
            byte[] x = a[r.nextInt(a.length)];
            byte[] y = a[r.nextInt(a.length)];
            byte[] z = Arrays.copyOf(x, x.length + y.length);
            System.arraycopy(y, 0, z, x.length, y.length);
            if (z.length <= 24 && seen.putIfAbsent(new String(z, StandardCharsets.ISO_8859_1), true) == null) {
                out.add(z);
            }
        }
        out.add(new byte[0]);
        return out.toArray(byte[][]::new);
    }

    /** Greedy longest-match encoding over a vocabulary's bytes (any split is a valid walk). */
    private static final class Greedy {
        private final Map<String, Integer> index = new HashMap<>();
        private int maxLen;

        Greedy(TokenVocabulary v) {
            for (int i = 0; i < v.size(); i++) {
                byte[] b = v.tokenBytes(i);
                if (b != null && b.length > 0 && !v.isEnd(i)) {
                    index.putIfAbsent(new String(b, StandardCharsets.ISO_8859_1), i);
                    maxLen = Math.max(maxLen, b.length);
                }
            }
        }

        int[] encode(String text) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            List<Integer> ids = new ArrayList<>();
            for (int pos = 0; pos < b.length; ) {
                for (int len = Math.min(maxLen, b.length - pos); len >= 1; len--) {
                    Integer id = index.get(new String(b, pos, len, StandardCharsets.ISO_8859_1));
                    if (id != null) {
                        ids.add(id);
                        pos += len;
                        break;
                    }
                    if (len == 1) {
                        throw new IllegalStateException("byte not in vocabulary");
                    }
                }
            }
            return ids.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
