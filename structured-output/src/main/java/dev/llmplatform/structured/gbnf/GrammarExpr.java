package dev.llmplatform.structured.gbnf;

import java.util.Arrays;
import java.util.List;

/**
 * A grammar expression over Unicode code points, as written in GBNF. The token-level engine lowers
 * these to byte-level automata (see {@code matcher.GrammarCompiler}).
 */
public sealed interface GrammarExpr {

    /** A fixed string; matched code point by code point. */
    record Literal(String text) implements GrammarExpr {
    }

    /**
     * A set of code points: {@code ranges} holds inclusive {@code [lo, hi]} pairs; {@code negated}
     * means every code point NOT in the ranges.
     */
    record CharClass(int[] ranges, boolean negated) implements GrammarExpr {
        @Override
        public boolean equals(Object o) {
            return o instanceof CharClass c && c.negated == negated && Arrays.equals(c.ranges, ranges);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ranges) * 31 + (negated ? 1 : 0);
        }

        @Override
        public String toString() {
            return "CharClass" + Arrays.toString(ranges) + (negated ? "^" : "");
        }
    }

    /** {@code .}: any single code point. */
    record AnyChar() implements GrammarExpr {
    }

    record RuleRef(String name) implements GrammarExpr {
    }

    record Sequence(List<GrammarExpr> items) implements GrammarExpr {
    }

    record Alternation(List<GrammarExpr> options) implements GrammarExpr {
    }

    /** {@code item{min,max}}; {@code max == UNBOUNDED} for {@code *}, {@code +} and {@code {m,}}. */
    record Repeat(GrammarExpr item, int min, int max) implements GrammarExpr {
        public static final int UNBOUNDED = -1;
    }
}
