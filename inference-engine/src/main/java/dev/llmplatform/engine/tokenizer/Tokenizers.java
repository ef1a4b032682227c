package dev.llmplatform.engine.tokenizer;

import dev.llmplatform.engine.gguf.GgufMetadata;

/** Builds the tokenizer a GGUF file describes, and adds BOS/EOS where its metadata asks for them. */
public final class Tokenizers {
    private Tokenizers() {
    }

    /**
     * The tokenizer for the {@code tokenizer.ggml.*} metadata: SentencePiece for {@code llama},
     * byte-level BPE with the {@code tokenizer.ggml.pre} pre-tokenizer for {@code gpt2}, and Gemma 4's
     * BPE on raw UTF-8 for {@code gemma4}, WordPiece for {@code bert}.
     *
     * @throws IllegalArgumentException for tokenizer models not supported here
     */
    public static Tokenizer fromGguf(GgufMetadata metadata) {
        String model = metadata.requireString(Vocabulary.KEY_MODEL);
        return switch (model) {
            case "llama" -> new SentencePieceTokenizer(Vocabulary.fromGguf(metadata));
            case "gpt2", "gemma4" -> {
                Vocabulary vocab = Vocabulary.fromGguf(metadata);
                yield new ByteLevelBpeTokenizer(vocab, PreTokenizer.forName(vocab.pre()));
            }
            case "bert" -> WordPieceTokenizer.fromGguf(metadata);
            default -> throw new IllegalArgumentException("unsupported tokenizer model '" + model + "'");
        };
    }

    /**
     * Encodes {@code text} and adds BOS and/or EOS as the vocabulary's add_bos/add_eos flags say
     * (what llama.cpp calls add_special): the ids a model expects for a whole prompt.
     */
    public static int[] encodeWithSpecials(Tokenizer tokenizer, String text, boolean parseSpecial) {
        int[] ids = tokenizer.encode(text, parseSpecial);
        SpecialTokens special = tokenizer.specialTokens();
        boolean bos = special.addBos() && special.bos() >= 0;
        boolean eos = special.addEos() && special.eos() >= 0;
        int[] out = new int[ids.length + (bos ? 1 : 0) + (eos ? 1 : 0)];
        if (bos) {
            out[0] = special.bos();
        }
        System.arraycopy(ids, 0, out, bos ? 1 : 0, ids.length);
        if (eos) {
            out[out.length - 1] = special.eos();
        }
        return out;
    }
}
