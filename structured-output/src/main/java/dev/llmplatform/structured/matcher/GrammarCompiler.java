package dev.llmplatform.structured.matcher;

import dev.llmplatform.structured.gbnf.Grammar;
import dev.llmplatform.structured.gbnf.GrammarExpr;
import dev.llmplatform.structured.gbnf.GrammarExpr.Alternation;
import dev.llmplatform.structured.gbnf.GrammarExpr.AnyChar;
import dev.llmplatform.structured.gbnf.GrammarExpr.CharClass;
import dev.llmplatform.structured.gbnf.GrammarExpr.Literal;
import dev.llmplatform.structured.gbnf.GrammarExpr.Repeat;
import dev.llmplatform.structured.gbnf.GrammarExpr.RuleRef;
import dev.llmplatform.structured.gbnf.GrammarExpr.Sequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers a code-point {@link Grammar} to a byte-level {@link CompiledGrammar}: literals become their
 * UTF-8 bytes, character classes become alternatives of UTF-8 byte-range sequences, groups and
 * repetitions become helper rules ({@code x*} as the right-recursive {@code S ::= x S | ε}, which the
 * parser runs in constant stack depth thanks to tail calls). Rejects left-recursive grammars, which a
 * top-down pushdown parser cannot run (llama.cpp rejects them too).
 */
public final class GrammarCompiler {
    /** Guard against repetition counts that would explode the grammar. */
    static final int MAX_ELEMENTS = 4_000_000;

    private record Elem(long[] bits, int ref) {
    }

    private final List<List<List<Elem>>> rules = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<Boolean> boundary = new ArrayList<>();
    private final Map<String, Integer> ruleIds = new HashMap<>();
    private final Map<String, Integer> classRules = new HashMap<>();
    private int elementBudget = MAX_ELEMENTS;

    private GrammarCompiler() {
    }

    public static CompiledGrammar compile(Grammar grammar) {
        return new GrammarCompiler().run(grammar);
    }

    private CompiledGrammar run(Grammar grammar) {
        for (String name : grammar.rules().keySet()) {
            ruleIds.put(name, newRule(name, true));
        }
        for (Map.Entry<String, GrammarExpr> e : grammar.rules().entrySet()) {
            int id = ruleIds.get(e.getKey());
            if (e.getValue() instanceof Alternation alt) {
                for (GrammarExpr option : alt.options()) {
                    rules.get(id).add(lower(option));
                }
            } else {
                rules.get(id).add(lower(e.getValue()));
            }
        }
        return flatten(ruleIds.get(grammar.root()));
    }

    private int newRule(String name, boolean isBoundary) {
        rules.add(new ArrayList<>());
        names.add(name);
        boundary.add(isBoundary);
        return rules.size() - 1;
    }

    private int helper(String hint, List<List<Elem>> alts) {
        int id = newRule(hint + "#" + rules.size(), false);
        rules.get(id).addAll(alts);
        return id;
    }

    private List<Elem> lower(GrammarExpr expr) {
        List<Elem> out = new ArrayList<>();
        lowerInto(expr, out);
        return out;
    }

    private void lowerInto(GrammarExpr expr, List<Elem> out) {
        switch (expr) {
            case Literal lit -> lit.text().codePoints().forEach(cp -> {
                for (byte b : Utf8Ranges.encode(cp)) {
                    out.add(byteElem(b & 0xFF, b & 0xFF));
                }
            });
            case CharClass cc -> lowerCodePoints(normalize(cc.ranges(), cc.negated()), out);
            case AnyChar ignored -> lowerCodePoints(new int[] {0, Character.MAX_CODE_POINT}, out);
            case RuleRef r -> out.add(new Elem(null, ruleIds.get(r.name())));
            case Sequence s -> s.items().forEach(item -> lowerInto(item, out));
            case Alternation a -> {
                List<List<Elem>> alts = new ArrayList<>();
                for (GrammarExpr option : a.options()) {
                    alts.add(lower(option));
                }
                out.add(new Elem(null, helper("group", alts)));
            }
            case Repeat r -> lowerRepeat(r, out);
        }
        elementBudget -= out.size();
        if (elementBudget < 0) {
            throw new IllegalArgumentException("grammar too large after expanding repetitions (over "
                    + MAX_ELEMENTS + " elements)");
        }
    }

    private void lowerRepeat(Repeat r, List<Elem> out) {
        List<Elem> body = lower(r.item());
        if (body.size() > 1) {
            body = List.of(new Elem(null, helper("item", List.of(body))));
        }
        if ((long) body.size() * r.min() > MAX_ELEMENTS) {
            throw new IllegalArgumentException("repetition {" + r.min() + ",...} too large");
        }
        for (int i = 0; i < r.min(); i++) {
            out.addAll(body);
        }
        if (r.max() == Repeat.UNBOUNDED) {
            int star = newRule("star#" + rules.size(), false);
            List<Elem> loop = new ArrayList<>(body);
            loop.add(new Elem(null, star));
            rules.get(star).add(loop);
            rules.get(star).add(List.of());
            out.add(new Elem(null, star));
        } else if (r.max() > r.min()) {
            int prev = -1;
            for (int k = 0; k < r.max() - r.min(); k++) {
                List<Elem> alt = new ArrayList<>(body);
                if (prev >= 0) {
                    alt.add(new Elem(null, prev));
                }
                prev = helper("opt", List.of(alt, List.of()));
            }
            out.add(new Elem(null, prev));
        }
    }

    private void lowerCodePoints(int[] ranges, List<Elem> out) {
        if (ranges.length == 0) {
            out.add(new Elem(new long[4], -1)); // matches nothing
            return;
        }
        if (ranges[ranges.length - 1] < 0x80) {
            long[] bits = new long[4];
            for (int i = 0; i < ranges.length; i += 2) {
                setRange(bits, ranges[i], ranges[i + 1]);
            }
            out.add(new Elem(bits, -1));
            return;
        }
        String key = Arrays.toString(ranges);
        Integer id = classRules.get(key);
        if (id == null) {
            List<List<Elem>> alts = new ArrayList<>();
            long[] ascii = new long[4];
            boolean hasAscii = false;
            for (int[][] seq : Utf8Ranges.sequences(ranges)) {
                if (seq.length == 1) {
                    setRange(ascii, seq[0][0], seq[0][1]);
                    hasAscii = true;
                    continue;
                }
                List<Elem> alt = new ArrayList<>();
                for (int[] br : seq) {
                    alt.add(byteElem(br[0], br[1]));
                }
                alts.add(alt);
            }
            if (hasAscii) {
                alts.addFirst(List.of(new Elem(ascii, -1)));
            }
            id = helper("class", alts);
            classRules.put(key, id);
        }
        out.add(new Elem(null, id));
    }

    static int[] normalize(int[] ranges, boolean negated) {
        return dev.llmplatform.structured.gbnf.CodePointSets.normalize(ranges, negated);
    }

    private static Elem byteElem(int lo, int hi) {
        long[] bits = new long[4];
        setRange(bits, lo, hi);
        return new Elem(bits, -1);
    }

    private static void setRange(long[] bits, int lo, int hi) {
        for (int b = lo; b <= hi; b++) {
            bits[b >>> 6] |= 1L << (b & 63);
        }
    }

    private CompiledGrammar flatten(int root) {
        int total = 0;
        for (List<List<Elem>> alts : rules) {
            for (List<Elem> alt : alts) {
                total += alt.size() + 1;
            }
        }
        byte[] kind = new byte[total];
        int[] ref = new int[total];
        long[] bits = new long[total * 4];
        int[] ruleOf = new int[total];
        int[][] ruleAlts = new int[rules.size()][];
        int pos = 0;
        for (int r = 0; r < rules.size(); r++) {
            List<List<Elem>> alts = rules.get(r);
            ruleAlts[r] = new int[alts.size()];
            for (int a = 0; a < alts.size(); a++) {
                ruleAlts[r][a] = pos;
                for (Elem e : alts.get(a)) {
                    ruleOf[pos] = r;
                    if (e.bits != null) {
                        kind[pos] = CompiledGrammar.BYTES;
                        System.arraycopy(e.bits, 0, bits, pos * 4, 4);
                        ref[pos] = -1;
                    } else {
                        kind[pos] = CompiledGrammar.REF;
                        ref[pos] = e.ref;
                    }
                    pos++;
                }
                kind[pos] = CompiledGrammar.END;
                ref[pos] = -1;
                ruleOf[pos] = r;
                pos++;
            }
        }
        boolean[] isBoundary = new boolean[rules.size()];
        for (int r = 0; r < rules.size(); r++) {
            isBoundary[r] = boundary.get(r);
        }
        CompiledGrammar g = new CompiledGrammar(kind, ref, bits, ruleOf, ruleAlts, names.toArray(String[]::new),
                isBoundary, root);
        checkNoLeftRecursion(g);
        return g;
    }

    /** Rejects rules that can reach themselves without consuming a byte. */
    private static void checkNoLeftRecursion(CompiledGrammar g) {
        int n = g.ruleAlts.length;
        boolean[] nullable = new boolean[n];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int r = 0; r < n; r++) {
                if (nullable[r]) {
                    continue;
                }
                for (int start : g.ruleAlts[r]) {
                    if (nullableFrom(g, start, nullable)) {
                        nullable[r] = true;
                        changed = true;
                        break;
                    }
                }
            }
        }
        g.nullable = nullable;
        // Left-edge graph: r -> s when r can call s before consuming a byte. A call in tail position
        // does not grow the stack (the parser reuses the caller's return frame), so only cycles with a
        // non-tail edge are true left recursion; pure tail cycles are cut by the parser's cycle guard.
        List<int[]> edges = new ArrayList<>(); // {from, to, tail?1:0}
        for (int r = 0; r < n; r++) {
            for (int start : g.ruleAlts[r]) {
                for (int p = start; g.kind[p] == CompiledGrammar.REF; p++) {
                    edges.add(new int[] {r, g.ref[p], g.kind[p + 1] == CompiledGrammar.END ? 1 : 0});
                    if (!nullable[g.ref[p]]) {
                        break;
                    }
                }
            }
        }
        int[] component = stronglyConnectedComponents(n, edges);
        for (int[] e : edges) {
            if (e[2] == 0 && component[e[0]] == component[e[1]]) {
                throw new IllegalArgumentException("left recursion in grammar rule '" + g.ruleNames[e[1]]
                        + "' (rewrite it right-recursively, e.g. x ::= y (op y)*)");
            }
        }
    }

    /** Kosaraju's algorithm, iterative (helper chains can be thousands of rules deep). */
    private static int[] stronglyConnectedComponents(int n, List<int[]> edges) {
        int[][] out = adjacency(n, edges, false);
        int[][] in = adjacency(n, edges, true);
        int[] order = new int[n];
        int orderLen = 0;
        boolean[] seen = new boolean[n];
        int[] stack = new int[n];
        int[] iter = new int[n];
        for (int s = 0; s < n; s++) {
            if (seen[s]) {
                continue;
            }
            int sp = 0;
            stack[0] = s;
            iter[0] = 0;
            seen[s] = true;
            while (sp >= 0) {
                int v = stack[sp];
                if (iter[sp] < out[v].length) {
                    int w = out[v][iter[sp]++];
                    if (!seen[w]) {
                        seen[w] = true;
                        sp++;
                        stack[sp] = w;
                        iter[sp] = 0;
                    }
                } else {
                    order[orderLen++] = v;
                    sp--;
                }
            }
        }
        int[] comp = new int[n];
        java.util.Arrays.fill(comp, -1);
        int c = 0;
        for (int k = n - 1; k >= 0; k--) {
            int s = order[k];
            if (comp[s] >= 0) {
                continue;
            }
            int sp = 0;
            stack[0] = s;
            comp[s] = c;
            while (sp >= 0) {
                int v = stack[sp--];
                for (int w : in[v]) {
                    if (comp[w] < 0) {
                        comp[w] = c;
                        stack[++sp] = w;
                    }
                }
            }
            c++;
        }
        return comp;
    }

    private static int[][] adjacency(int n, List<int[]> edges, boolean reverse) {
        int[] deg = new int[n];
        for (int[] e : edges) {
            deg[reverse ? e[1] : e[0]]++;
        }
        int[][] adj = new int[n][];
        for (int i = 0; i < n; i++) {
            adj[i] = new int[deg[i]];
        }
        int[] fill = new int[n];
        for (int[] e : edges) {
            int from = reverse ? e[1] : e[0];
            adj[from][fill[from]++] = reverse ? e[0] : e[1];
        }
        return adj;
    }

    private static boolean nullableFrom(CompiledGrammar g, int p, boolean[] nullable) {
        for (; g.kind[p] != CompiledGrammar.END; p++) {
            if (g.kind[p] == CompiledGrammar.BYTES || !nullable[g.ref[p]]) {
                return false;
            }
        }
        return true;
    }

}
