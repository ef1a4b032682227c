package dev.llmplatform.structured.matcher;

import dev.llmplatform.engine.runtime.LogitsConstraint;
import java.util.BitSet;

/**
 * Keeps one sequence's output inside a grammar, token by token. The grammar is matched against the
 * tokens' bytes, so tokens that span several grammar symbols, or split a multi-byte UTF-8 character,
 * are handled naturally. End-of-generation tokens are allowed only when the grammar can end; after one
 * is accepted nothing else is.
 */
public final class GrammarConstraint implements LogitsConstraint {
    private final TokenMasker masker;
    private final TokenMasker.Scratch scratch;
    private Frame[] state;
    private boolean finished;

    public GrammarConstraint(TokenMasker masker) {
        this.masker = masker;
        this.scratch = masker.newScratch();
        this.state = scratch.parser.start();
    }

    @Override
    public void allowedTokens(BitSet allowed) {
        if (finished) {
            return;
        }
        masker.fill(state, allowed, scratch);
        if (canEnd()) {
            for (int id : masker.vocabulary().endIds) {
                allowed.set(id);
            }
        }
    }

    @Override
    public void accept(int tokenId) {
        if (finished) {
            throw new IllegalStateException("output already ended");
        }
        TokenVocabulary vocab = masker.vocabulary();
        if (tokenId < 0 || tokenId >= vocab.size) {
            throw new IllegalStateException("token " + tokenId + " outside the vocabulary");
        }
        if (vocab.isEnd(tokenId)) {
            if (!canEnd()) {
                throw new IllegalStateException("end of generation not allowed: output incomplete");
            }
            finished = true;
            return;
        }
        byte[] bytes = vocab.bytes[tokenId];
        Frame[] next = bytes == null || bytes.length == 0 ? new Frame[0] : scratch.parser.run(state, bytes);
        if (next.length == 0) {
            throw new IllegalStateException("token " + tokenId + " not allowed by the grammar here");
        }
        state = next;
    }

    /** True if {@code tokenId} may come next (cheaper than a full mask when checking one token). */
    public boolean allows(int tokenId) {
        TokenVocabulary vocab = masker.vocabulary();
        if (finished) {
            return false;
        }
        if (vocab.isEnd(tokenId)) {
            return canEnd();
        }
        byte[] bytes = vocab.bytes[tokenId];
        return bytes != null && bytes.length > 0 && scratch.parser.run(state, bytes).length > 0;
    }

    @Override
    public boolean canEnd() {
        return !finished && PushdownParser.canEnd(state);
    }

    /** Cache misses this sequence's mask computations met so far (for evaluation). */
    public MaskWork work() {
        return scratch.work;
    }

    public boolean isFinished() {
        return finished;
    }
}
