package dev.llmplatform.engine.benchmark;

import java.util.Locale;

/**
 * The hyper-parameters of a Llama-architecture model, as far as a benchmark needs them: sizes, rope
 * base, norm epsilon and how many of the vocabulary's last ids are special tokens.
 */
public record ModelShape(String name, int dim, int layers, int heads, int kvHeads, int ffDim, int vocab,
                         int specialTokens, int contextLength, float ropeBase, float rmsEps) {

    /** Llama-3.2-1B: what llama-bench's published 1B numbers are measured on. */
    public static final ModelShape LLAMA_3_2_1B =
            new ModelShape("llama-3.2-1b", 2048, 16, 32, 8, 8192, 128256, 256, 131072, 500000f, 1e-5f);

    /** A few-megabyte model of the same structure, for tests of the writer and of whatever loads it. */
    public static final ModelShape TINY =
            new ModelShape("tiny", 256, 2, 4, 2, 512, 1024, 16, 2048, 500000f, 1e-5f);

    public ModelShape {
        if (dim % heads != 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException(name + ": heads must divide dim and kv heads must divide heads");
        }
        if (vocab - specialTokens < 256) {
            throw new IllegalArgumentException(name + ": the vocabulary needs room for the 256 byte tokens");
        }
    }

    public int headDim() {
        return dim / heads;
    }

    public int kvDim() {
        return kvHeads * headDim();
    }

    /** Parameters in matrices that a decode step multiplies by (embeddings counted once, tied). */
    public long parameters() {
        long perLayer = 2L * dim * dim + 2L * dim * kvDim() + 3L * dim * ffDim;
        return layers * perLayer + (long) vocab * dim;
    }

    public static ModelShape byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "llama-3.2-1b" -> LLAMA_3_2_1B;
            case "tiny" -> TINY;
            default -> throw new IllegalArgumentException("unknown shape '" + name + "' (known: llama-3.2-1b, tiny)");
        };
    }
}
