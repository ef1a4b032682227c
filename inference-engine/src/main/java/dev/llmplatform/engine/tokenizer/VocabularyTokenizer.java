package dev.llmplatform.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What SentencePiece and byte-level BPE tokenizers share: splitting out special tokens, the table of
 * the bytes each token decodes to, and decoding. Instances are immutable and safe to share between
 * threads; every call keeps its working state local.
 */
abstract sealed class VocabularyTokenizer implements Tokenizer permits SentencePieceTokenizer, ByteLevelBpeTokenizer {
    private static final byte[] EMPTY = new byte[0];

    protected final Vocabulary vocab;
    private final SpecialTokenPartitioner partitioner;
    private final byte[][] pieces;
    private final int[] byteTokens = new int[256];

    VocabularyTokenizer(Vocabulary vocab) {
        this.vocab = vocab;
        this.partitioner = new SpecialTokenPartitioner(vocab);
        this.pieces = new byte[vocab.size()][];
        for (int id = 0; id < pieces.length; id++) {
            TokenType type = vocab.type(id);
            pieces[id] = switch (type) {
                case NORMAL -> normalPiece(vocab.text(id));
                case BYTE -> byteValue(vocab.text(id)) >= 0 ? new byte[] {(byte) byteValue(vocab.text(id))} : EMPTY;
                // added tokens render as written
                case USER_DEFINED -> vocab.text(id).getBytes(StandardCharsets.UTF_8);
                // control, unknown and unused tokens render as nothing (llama.cpp without "special")
                default -> EMPTY;
            };
        }
        for (int b = 0; b < 256; b++) {
            byteTokens[b] = vocab.id(String.format("<0x%02X>", b));
        }
    }

    /** The bytes a NORMAL token's vocabulary text stands for. */
    abstract byte[] normalPiece(String text);

    /** Encodes one plain-text fragment. {@code atStart}: it begins the text or follows a special token. */
    abstract void encodeFragment(String text, boolean atStart, IntArrayBuilder out);

    @Override
    public final int[] encode(String text, boolean parseSpecial) {
        List<SpecialTokenPartitioner.Fragment> fragments = partitioner.partition(text, parseSpecial);
        IntArrayBuilder out = new IntArrayBuilder(text.length() / 3 + 4);
        boolean atStart = true;
        for (SpecialTokenPartitioner.Fragment fragment : fragments) {
            switch (fragment) {
                case SpecialTokenPartitioner.Text t -> {
                    encodeFragment(t.text(), atStart, out);
                    atStart = false;
                }
                case SpecialTokenPartitioner.Token t -> {
                    out.add(t.id());
                    atStart = true;
                }
            }
        }
        return out.toArray();
    }

    /**
     * Decodes ids to text: the concatenated token bytes, read as UTF-8 with U+FFFD for invalid
     * sequences. Where the vocabulary prepends a space to the text (SentencePiece's add_space_prefix),
     * the first token after an optional leading BOS loses one leading space, so decode(encode(x)) == x.
     */
    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        int first = ids.length > 0 && ids[0] == vocab.specialTokens().bos() ? 1 : 0;
        for (int i = 0; i < ids.length; i++) {
            byte[] piece = piece(ids[i]);
            int skip = i == first && stripsLeadingSpace() && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
            out.write(piece, skip, piece.length - skip);
        }
        return Utf8.decode(out.toByteArray());
    }

    /** True where encoding adds a leading space that decoding should take away again. */
    boolean stripsLeadingSpace() {
        return false;
    }

    @Override
    public final byte[] tokenBytes(int id) {
        return piece(id).clone();
    }

    /** The token's bytes, not copied (callers must not modify them). */
    final byte[] piece(int id) {
        if (id < 0 || id >= pieces.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (size " + pieces.length + ")");
        }
        return pieces[id];
    }

    @Override
    public final String tokenText(int id) {
        piece(id); // range check
        return vocab.text(id);
    }

    @Override
    public final int vocabularySize() {
        return vocab.size();
    }

    @Override
    public final SpecialTokens specialTokens() {
        return vocab.specialTokens();
    }

    public final Vocabulary vocabulary() {
        return vocab;
    }

    /** The value of a byte token {@code <0xNN>}; -1 if the text is not of that form. */
    static int byteValue(String text) {
        if (text.length() == 6 && text.startsWith("<0x") && text.charAt(5) == '>') {
            try {
                return Integer.parseInt(text, 3, 5, 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    /** The id of byte token {@code <0xNN>} for {@code b}, or -1. */
    final int byteTokenId(int b) {
        return byteTokens[b & 0xFF];
    }
}
