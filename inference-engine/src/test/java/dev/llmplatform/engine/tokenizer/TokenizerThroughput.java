package dev.llmplatform.engine.tokenizer;

import dev.llmplatform.engine.gguf.GgufFile;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures encoding and decoding of ~100 KB of mixed text (English, code, German, Japanese, emoji,
 * Cyrillic) with each shared llama.cpp vocabulary. Not a test (timings are reported, never asserted):
 * <pre>
 * ./mvnw -q -pl inference-engine -am test-compile
 * java --enable-native-access=ALL-UNNAMED -cp inference-engine/target/classes:inference-engine/target/test-classes \
 *     dev.llmplatform.engine.tokenizer.TokenizerThroughput ../shared/testdata/tokenizer
 * </pre>
 */
public final class TokenizerThroughput {
    private TokenizerThroughput() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/testdata/tokenizer");
        String unit = "The quick brown fox jumps over the lazy dog. def f(x):\n    return x * 12345 + 67\n"
                + "Grüße aus München! 東京は日本の首都です。 🚀 нещо на Български. ";
        String text = unit.repeat(100_000 / unit.length() + 1);
        for (String name : new String[] {"llama-spm", "phi-3", "gpt-2", "deepseek-llm", "falcon"}) {
            long t0 = System.nanoTime();
            Tokenizer tokenizer;
            try (GgufFile file = GgufFile.open(dir.resolve("ggml-vocab-" + name + ".gguf"))) {
                tokenizer = Tokenizers.fromGguf(file.metadata());
            }
            long load = System.nanoTime() - t0;
            int[] ids = tokenizer.encode(text, false);
            long firstEncode = System.nanoTime() - t0 - load;
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 10; i++) {
                long s = System.nanoTime();
                ids = tokenizer.encode(text, false);
                best = Math.min(best, System.nanoTime() - s);
            }
            long s = System.nanoTime();
            boolean roundTrip = tokenizer.decode(ids).equals(text);
            long decode = System.nanoTime() - s;
            System.out.printf(Locale.ROOT,
                    "%-13s load %4d ms | %,d chars -> %,d tokens | encode first %5.1f ms, best of 10 %5.1f ms"
                            + " | decode %4.1f ms | round trip %s%n",
                    name, load / 1_000_000, text.length(), ids.length, firstEncode / 1e6, best / 1e6, decode / 1e6,
                    roundTrip);
        }
    }
}
