package dev.llmplatform.structured.schema;

import dev.llmplatform.structured.gbnf.CodePointSets;
import dev.llmplatform.structured.gbnf.GbnfWriter;
import dev.llmplatform.structured.gbnf.GrammarExpr;
import dev.llmplatform.structured.regex.RegexParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * Which of an object's key languages a member name falls in: each {@code patternProperties} regex
 * (JSON Schema search semantics) and the declared property names, as one deterministic automaton over
 * code points whose states carry the set of languages matched so far ("tags", bit i = pattern i, the
 * last bit = a declared name). From it come grammars for keys by tag set: "no pattern and not
 * declared" (additional properties), "exactly patterns T, not declared" (members whose value must
 * satisfy every schema in T). That makes {@code patternProperties} beside additional properties
 * exact: a key matching a pattern can no longer be taken as an additional one.
 *
 * <p>Keys are written with plain characters and the short escapes ({@code \" \\ \/ \b \f \n \r \t});
 * a {@code \}{@code uXXXX} escape in a key is not produced. The automaton is bounded
 * ({@link #MAX_STATES}, or the caller's bound); {@link #build} returns null beyond it or for regex features it
 * cannot take.
 */
final class KeyLanguages {
    static final int MAX_STATES = 400;
    /** State bound for a string value's content (one rule per state, used once per string, not per key). */
    static final int MAX_STRING_STATES = 2048;
    private static final int MAX_COPIES = 256;
    private static final int[] ALL = {0, Character.MAX_CODE_POINT};

    /** How the caller adds rules: names first (automata have cycles), bodies after. */
    interface RuleSink {
        String reserve(String hint);

        void put(String name, String body);
    }

    private final int tagCount;
    /** Elementary intervals: code points {@code [bounds[i], bounds[i+1]-1]} behave alike in every state. */
    private final int[] bounds;
    /** next[state][interval], -1 for the dead state (no language can match any more). */
    private final int[][] next;
    private final int[] tags;

    private KeyLanguages(int tagCount, int[] bounds, int[][] next, int[] tags) {
        this.tagCount = tagCount;
        this.bounds = bounds;
        this.next = next;
        this.tags = tags;
    }

    /** Bit for declared names in a tag set. */
    int namesBit() {
        return 1 << (tagCount - 1);
    }

    int patternCount() {
        return tagCount - 1;
    }

    /** The automaton for {@code patterns} and {@code names}; null if unsupported or too large. */
    static KeyLanguages build(List<String> patterns, List<String> names) {
        return build(patterns, names, MAX_STATES);
    }

    /** As {@link #build(List, List)}, with another bound on the automaton's states. */
    static KeyLanguages build(List<String> patterns, List<String> names, int maxStates) {
        if (patterns.size() > 8) {
            return null;
        }
        Nfa nfa = new Nfa();
        List<Integer> starts = new ArrayList<>();
        try {
            for (int i = 0; i < patterns.size(); i++) {
                int[] frag = nfa.fragment(RegexParser.parseSearch(patterns.get(i)));
                nfa.finalTag.put(frag[1], 1 << i);
                starts.add(frag[0]);
            }
        } catch (IllegalArgumentException | Unsupported e) {
            return null;
        }
        int namesBit = 1 << patterns.size();
        for (String name : names) {
            int s = nfa.state();
            starts.add(s);
            for (int cp : name.codePoints().toArray()) {
                int t = nfa.state();
                nfa.edge(s, cp, cp, t);
                s = t;
            }
            nfa.finalTag.merge(s, namesBit, (a, b) -> a | b);
        }
        return nfa.determinize(starts, patterns.size() + 1, maxStates);
    }

    /** The tag set of a whole name. */
    int tagsOf(String name) {
        int s = 0;
        for (int cp : name.codePoints().toArray()) {
            if (s < 0) {
                return 0;
            }
            s = next[s][interval(cp)];
        }
        return s < 0 ? 0 : tags[s];
    }

    private int interval(int cp) {
        int i = Arrays.binarySearch(bounds, cp);
        return i >= 0 ? i : -i - 2;
    }

    /**
     * A rule for a JSON string (quotes included, no trailing space) whose content's tag set satisfies
     * {@code accept}; null if no such string exists.
     */
    String keyRule(IntPredicate accept, RuleSink sink, String hint) {
        int n = next.length;
        // states from which an accepted end is reachable (the dead state: tag set 0)
        boolean deadOk = accept.test(0);
        boolean[] useful = new boolean[n];
        for (int s = 0; s < n; s++) {
            useful[s] = accept.test(tags[s]);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int s = 0; s < n; s++) {
                if (useful[s]) {
                    continue;
                }
                for (int t : next[s]) {
                    if (t < 0 ? deadOk : useful[t]) {
                        useful[s] = true;
                        changed = true;
                        break;
                    }
                }
            }
        }
        if (!useful[0]) {
            return null;
        }
        String[] names = new String[n];
        for (int s = 0; s < n; s++) {
            if (useful[s]) {
                names[s] = sink.reserve(hint + "-k" + s);
            }
        }
        String dead = null;
        if (deadOk) {
            dead = sink.reserve(hint + "-kany");
            sink.put(dead, "\"\\\"\" | " + charAlternatives(ALL) + " " + dead);
        }
        for (int s = 0; s < n; s++) {
            if (!useful[s]) {
                continue;
            }
            List<String> alts = new ArrayList<>();
            if (accept.test(tags[s])) {
                alts.add("\"\\\"\"");
            }
            // group the intervals by target state
            Map<Integer, List<Integer>> byTarget = new HashMap<>();
            for (int i = 0; i < next[s].length; i++) {
                int t = next[s][i];
                if (t < 0 ? deadOk : useful[t]) {
                    byTarget.computeIfAbsent(t, k -> new ArrayList<>()).add(i);
                }
            }
            for (Map.Entry<Integer, List<Integer>> e : new java.util.TreeMap<>(byTarget).entrySet()) {
                List<Integer> ivs = e.getValue();
                int[] set = new int[ivs.size() * 2];
                for (int k = 0; k < ivs.size(); k++) {
                    set[2 * k] = bounds[ivs.get(k)];
                    set[2 * k + 1] = bounds[ivs.get(k) + 1] - 1;
                }
                String chars = charAlternatives(CodePointSets.normalize(set, false));
                if (chars != null) {
                    alts.add(chars + " " + (e.getKey() < 0 ? dead : names[e.getKey()]));
                }
            }
            sink.put(names[s], String.join(" | ", alts));
        }
        return "\"\\\"\" " + names[0];
    }

    private static final int[] PLAIN = CodePointSets.normalize(new int[] {0, 0x1F, '"', '"', '\\', '\\'}, true);
    private static final int[] ESCAPED = {'"', '\\', '/', '\b', '\f', '\n', '\r', '\t'};
    private static final String[] ESCAPES = {"\\\\\\\"", "\\\\\\\\", "\\\\/", "\\\\b", "\\\\f", "\\\\n", "\\\\r",
        "\\\\t"};

    /** How the code points of {@code set} may be written inside a JSON string; null if none can. */
    private static String charAlternatives(int[] set) {
        List<String> alts = new ArrayList<>();
        int[] plain = CodePointSets.intersect(set, PLAIN);
        if (plain.length > 0) {
            alts.add(GbnfWriter.classText(plain));
        }
        for (int i = 0; i < ESCAPED.length; i++) {
            if (CodePointSets.contains(set, ESCAPED[i])) {
                alts.add("\"" + ESCAPES[i] + "\"");
            }
        }
        if (alts.isEmpty()) {
            return null;
        }
        return alts.size() == 1 ? alts.getFirst() : "(" + String.join(" | ", alts) + ")";
    }

    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    /** A Thompson automaton over code-point ranges. */
    private static final class Nfa {
        final List<int[]> edges = new ArrayList<>(); // {from, lo, hi, to}
        final List<List<Integer>> eps = new ArrayList<>();
        final Map<Integer, Integer> finalTag = new HashMap<>();

        int state() {
            eps.add(new ArrayList<>());
            return eps.size() - 1;
        }

        void edge(int from, int lo, int hi, int to) {
            edges.add(new int[] {from, lo, hi, to});
        }

        void epsilon(int from, int to) {
            eps.get(from).add(to);
        }

        /** {start, end} of a fragment matching {@code e}. */
        int[] fragment(GrammarExpr e) {
            if (edges.size() > 20_000) {
                throw new Unsupported();
            }
            int s = state();
            int t;
            switch (e) {
                case GrammarExpr.Literal l -> {
                    int cur = s;
                    for (int cp : l.text().codePoints().toArray()) {
                        int nx = state();
                        edge(cur, cp, cp, nx);
                        cur = nx;
                    }
                    t = cur;
                }
                case GrammarExpr.CharClass c -> {
                    t = state();
                    int[] set = CodePointSets.normalize(c.ranges(), c.negated());
                    for (int i = 0; i < set.length; i += 2) {
                        edge(s, set[i], set[i + 1], t);
                    }
                }
                case GrammarExpr.AnyChar a -> {
                    t = state();
                    edge(s, 0, Character.MAX_CODE_POINT, t);
                }
                case GrammarExpr.Sequence seq -> {
                    int cur = s;
                    for (GrammarExpr item : seq.items()) {
                        int[] f = fragment(item);
                        epsilon(cur, f[0]);
                        cur = f[1];
                    }
                    t = cur;
                }
                case GrammarExpr.Alternation alt -> {
                    t = state();
                    for (GrammarExpr o : alt.options()) {
                        int[] f = fragment(o);
                        epsilon(s, f[0]);
                        epsilon(f[1], t);
                    }
                }
                case GrammarExpr.Repeat r -> {
                    int copies = r.max() == GrammarExpr.Repeat.UNBOUNDED ? r.min() : r.max();
                    if (copies > MAX_COPIES) {
                        throw new Unsupported();
                    }
                    int cur = s;
                    t = state();
                    for (int i = 0; i < copies; i++) {
                        int[] f = fragment(r.item());
                        epsilon(cur, f[0]);
                        if (i >= r.min()) {
                            epsilon(cur, t);
                        }
                        cur = f[1];
                    }
                    epsilon(cur, t);
                    if (r.max() == GrammarExpr.Repeat.UNBOUNDED) {
                        int[] f = fragment(r.item());
                        epsilon(cur, f[0]);
                        epsilon(f[1], cur);
                    }
                }
                case GrammarExpr.RuleRef ref -> throw new Unsupported();
            }
            return new int[] {s, t};
        }

        BitSet closure(BitSet set) {
            BitSet out = (BitSet) set.clone();
            ArrayList<Integer> stack = new ArrayList<>();
            set.stream().forEach(stack::add);
            while (!stack.isEmpty()) {
                int s = stack.removeLast();
                for (int t : eps.get(s)) {
                    if (!out.get(t)) {
                        out.set(t);
                        stack.add(t);
                    }
                }
            }
            return out;
        }

        KeyLanguages determinize(List<Integer> starts, int tagCount, int maxStates) {
            TreeSet<Integer> points = new TreeSet<>(List.of(0, Character.MAX_CODE_POINT + 1));
            for (int[] e : edges) {
                points.add(e[1]);
                points.add(e[2] + 1);
            }
            if (points.size() > 4_000) {
                return null; // e.g. many Unicode classes: too many distinct intervals to tabulate
            }
            int[] bounds = points.stream().mapToInt(Integer::intValue).toArray();
            int intervals = bounds.length - 1;
            // edges by source state
            List<List<int[]>> out = new ArrayList<>();
            for (int i = 0; i < eps.size(); i++) {
                out.add(new ArrayList<>());
            }
            for (int[] e : edges) {
                out.get(e[0]).add(e);
            }
            Map<BitSet, Integer> ids = new HashMap<>();
            List<BitSet> states = new ArrayList<>();
            List<int[]> next = new ArrayList<>();
            BitSet start = new BitSet();
            starts.forEach(start::set);
            start = closure(start);
            ids.put(start, 0);
            states.add(start);
            for (int d = 0; d < states.size(); d++) {
                if (states.size() > maxStates) {
                    return null;
                }
                BitSet cur = states.get(d);
                int[] row = new int[intervals];
                for (int iv = 0; iv < intervals; iv++) {
                    int lo = bounds[iv];
                    BitSet target = new BitSet();
                    for (int s = cur.nextSetBit(0); s >= 0; s = cur.nextSetBit(s + 1)) {
                        for (int[] e : out.get(s)) {
                            if (e[1] <= lo && lo <= e[2]) {
                                target.set(e[3]);
                            }
                        }
                    }
                    if (target.isEmpty()) {
                        row[iv] = -1;
                        continue;
                    }
                    target = closure(target);
                    Integer id = ids.get(target);
                    if (id == null) {
                        id = states.size();
                        ids.put(target, id);
                        states.add(target);
                    }
                    row[iv] = id;
                }
                next.add(row);
            }
            int[] tags = new int[states.size()];
            for (int d = 0; d < states.size(); d++) {
                BitSet st = states.get(d);
                for (Map.Entry<Integer, Integer> f : finalTag.entrySet()) {
                    if (st.get(f.getKey())) {
                        tags[d] |= f.getValue();
                    }
                }
            }
            return new KeyLanguages(tagCount, bounds, next.toArray(int[][]::new), tags);
        }
    }
}
