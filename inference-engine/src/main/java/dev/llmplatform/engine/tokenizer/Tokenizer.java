package dev.llmplatform.engine.tokenizer;

/**
 * Text ↔ token ids for one model's vocabulary. One interface for every family (SentencePiece,
 * byte-level BPE, WordPiece).
 */
public interface Tokenizer {

    /**
     * Encodes {@code text} without adding BOS/EOS.
     *
     * @param parseSpecial recognise special/control tokens written in the text (e.g. {@code <|im_start|>});
     *                     when false they are tokenized as plain text. Tokens the vocabulary marks as
     *                     user-defined (Hugging Face's non-special added tokens) are recognised either way,
     *                     as llama.cpp and Hugging Face do.
     */
    int[] encode(String text, boolean parseSpecial);

    /** Decodes ids to text; control tokens render as nothing, invalid UTF-8 as U+FFFD. */
    String decode(int[] ids);

    /**
     * The exact bytes token {@code id} contributes to the output (after byte-fallback and byte-level
     * decoding; SentencePiece's ▁ as a space). Empty for control tokens. Used by streaming decoders and
     * by structured output, which matches grammars against these bytes.
     */
    byte[] tokenBytes(int id);

    /** The token's text as stored in the vocabulary. */
    String tokenText(int id);

    int vocabularySize();

    SpecialTokens specialTokens();
}
