package dev.llmplatform.structured.matcher;

/**
 * The byte-level recogniser: a nondeterministic pushdown automaton whose state is a set of stacks
 * (like llama.cpp's grammar stacks). Chosen over Earley because a step is a handful of pointer moves,
 * states are small immutable values that can key caches, and our grammars (GBNF, schema-generated)
 * are not left-recursive; the compiler rejects left recursion. Not thread-safe (scratch buffers).
 */
final class PushdownParser {
    private final CompiledGrammar g;
    private int[] visitedPos = new int[32];
    private Frame[] visitedNext = new Frame[32];
    private int visited;

    PushdownParser(CompiledGrammar g) {
        this.g = g;
    }

    /** The start state: every way to begin the root rule. */
    Frame[] start() {
        FrameSet out = new FrameSet();
        visited = 0;
        for (int alt : g.ruleAlts[g.rootRule]) {
            expand(alt, null, out);
        }
        return out.toArray();
    }

    /** Stacks after consuming byte {@code b} from the stacks in {@code in}; written to {@code out}. */
    void advance(FrameSet in, int b, FrameSet out) {
        out.clear();
        visited = 0;
        Frame[] frames = in.frames;
        for (int i = 0, n = in.size; i < n; i++) {
            Frame f = frames[i];
            if (f.pos >= 0 && g.matches(f.pos, b)) {
                expand(f.pos + 1, f.next, out);
            }
        }
    }

    /** Stacks reached by continuing with the return frame {@code ret} (popping into it). */
    void resume(Frame ret, FrameSet out) {
        out.clear();
        visited = 0;
        if (ret == null) {
            out.add(Frame.ACCEPT);
        } else {
            expand(ret.pos, ret.next, out);
        }
    }

    /**
     * Adds to {@code out} every stack whose top is a byte set, reachable from "match element
     * {@code pos} then continue with {@code next}" without consuming input.
     */
    void expand(int pos, Frame next, FrameSet out) {
        byte[] kind = g.kind;
        while (true) {
            switch (kind[pos]) {
                case CompiledGrammar.BYTES -> {
                    out.add(new Frame(pos, next));
                    return;
                }
                case CompiledGrammar.END -> {
                    if (next == null) {
                        out.add(Frame.ACCEPT);
                        return;
                    }
                    if (next == Frame.BASE) {
                        out.add(Frame.BASE);
                        return;
                    }
                    if (kind[next.pos] == CompiledGrammar.BYTES) {
                        out.add(next);
                        return;
                    }
                    pos = next.pos;
                    next = next.next;
                }
                default -> {
                    int after = pos + 1;
                    boolean tail = kind[after] == CompiledGrammar.END;
                    if ((tail || g.nullable[g.ref[pos]]) && seen(pos, next)) {
                        return;
                    }
                    // tail call: a reference at the end of an alternative returns straight to our caller
                    Frame ret = tail ? next : new Frame(after, next);
                    int[] alts = g.ruleAlts[g.ref[pos]];
                    for (int a = 0; a < alts.length; a++) {
                        expand(alts[a], ret, out);
                    }
                    return;
                }
            }
        }
    }

    /**
     * Cycle guard for loops that consume nothing, such as {@code (x?)*} or unit cycles in tail
     * position ({@code a ::= b | "x"}, {@code b ::= a}): each (reference, continuation) once per step.
     * Only nullable and tail references can close such a loop (others would be left recursion).
     */
    private boolean seen(int pos, Frame next) {
        for (int i = 0; i < visited; i++) {
            if (visitedPos[i] == pos && visitedNext[i] == next) {
                return true;
            }
        }
        if (visited == visitedPos.length) {
            visitedPos = java.util.Arrays.copyOf(visitedPos, visited * 2);
            visitedNext = java.util.Arrays.copyOf(visitedNext, visited * 2);
        }
        visitedPos[visited] = pos;
        visitedNext[visited] = next;
        visited++;
        return false;
    }

    static boolean canEnd(Frame[] state) {
        for (Frame f : state) {
            if (f == Frame.ACCEPT) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code bytes} from {@code state}; returns the new state (empty if rejected). */
    Frame[] run(Frame[] state, byte[] bytes) {
        FrameSet a = new FrameSet();
        FrameSet b = new FrameSet();
        a.setAll(state);
        for (byte x : bytes) {
            advance(a, x & 0xFF, b);
            if (b.isEmpty()) {
                return new Frame[0];
            }
            FrameSet t = a;
            a = b;
            b = t;
        }
        return a.toArray();
    }
}
