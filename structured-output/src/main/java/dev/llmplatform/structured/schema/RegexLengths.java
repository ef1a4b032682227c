package dev.llmplatform.structured.schema;

import dev.llmplatform.structured.gbnf.GrammarExpr;

/**
 * The shortest and longest strings (in code points) a regex language contains, so that a
 * {@code minLength}/{@code maxLength} beside a {@code pattern} can be shown redundant (every match
 * already fits) or folded into the pattern (only matches of one length fit).
 */
record RegexLengths(long min, long max) {
    static final long UNBOUNDED = Long.MAX_VALUE;

    static RegexLengths of(GrammarExpr e) {
        return switch (e) {
            case GrammarExpr.Literal l -> {
                long n = l.text().codePointCount(0, l.text().length());
                yield new RegexLengths(n, n);
            }
            case GrammarExpr.CharClass c -> new RegexLengths(1, 1);
            case GrammarExpr.AnyChar a -> new RegexLengths(1, 1);
            case GrammarExpr.RuleRef r -> new RegexLengths(0, UNBOUNDED);
            case GrammarExpr.Sequence s -> {
                long lo = 0;
                long hi = 0;
                for (GrammarExpr item : s.items()) {
                    RegexLengths x = of(item);
                    lo = add(lo, x.min);
                    hi = add(hi, x.max);
                }
                yield new RegexLengths(lo, hi);
            }
            case GrammarExpr.Alternation a -> {
                long lo = UNBOUNDED;
                long hi = 0;
                for (GrammarExpr option : a.options()) {
                    RegexLengths x = of(option);
                    lo = Math.min(lo, x.min);
                    hi = Math.max(hi, x.max);
                }
                yield new RegexLengths(a.options().isEmpty() ? 0 : lo, hi);
            }
            case GrammarExpr.Repeat r -> {
                RegexLengths x = of(r.item());
                long hi = r.max() == GrammarExpr.Repeat.UNBOUNDED ? (x.max == 0 ? 0 : UNBOUNDED) : mul(x.max, r.max());
                yield new RegexLengths(mul(x.min, r.min()), hi);
            }
        };
    }

    private static long add(long a, long b) {
        return a == UNBOUNDED || b == UNBOUNDED ? UNBOUNDED : a + b;
    }

    private static long mul(long a, long n) {
        return a == UNBOUNDED ? (n == 0 ? 0 : UNBOUNDED) : a * n;
    }
}
