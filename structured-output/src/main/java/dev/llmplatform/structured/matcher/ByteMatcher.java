package dev.llmplatform.structured.matcher;

import java.nio.charset.StandardCharsets;

/** Whole-string matching against a compiled grammar (no vocabulary): for tests and post-checks. */
public final class ByteMatcher {
    private final CompiledGrammar grammar;

    public ByteMatcher(CompiledGrammar grammar) {
        this.grammar = grammar;
    }

    public boolean matches(String text) {
        return matches(text.getBytes(StandardCharsets.UTF_8));
    }

    public boolean matches(byte[] bytes) {
        PushdownParser p = new PushdownParser(grammar);
        Frame[] state = p.run(p.start(), bytes);
        return PushdownParser.canEnd(state);
    }

    /** True if {@code text} can be extended to a sentence of the grammar. */
    public boolean isPrefix(String text) {
        PushdownParser p = new PushdownParser(grammar);
        return p.run(p.start(), text.getBytes(StandardCharsets.UTF_8)).length > 0;
    }
}
