package dev.llmplatform.engine.tokenizer;

/**
 * The kind of a vocabulary entry, as stored in {@code tokenizer.ggml.token_type} (llama.cpp's
 * {@code llama_token_type} numbering).
 */
public enum TokenType {
    UNDEFINED(0),
    NORMAL(1),
    /** The unknown token ({@code <unk>}); renders as nothing. */
    UNKNOWN(2),
    /** Control tokens ({@code <s>}, {@code <|im_start|>}); render as nothing, matched in text only on request. */
    CONTROL(3),
    /** Added tokens that are always split out of the text before the model's algorithm runs. */
    USER_DEFINED(4),
    UNUSED(5),
    /** SentencePiece byte-fallback tokens {@code <0xNN>}. */
    BYTE(6);

    private final int code;

    TokenType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static TokenType fromCode(int code) {
        for (TokenType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return UNDEFINED;
    }

    /** Types the special-token partitioner looks for in text (user-defined ones always, the others on request). */
    boolean isSpecial() {
        return this == CONTROL || this == USER_DEFINED || this == UNKNOWN;
    }
}
