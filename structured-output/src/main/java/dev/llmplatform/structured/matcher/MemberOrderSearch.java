package dev.llmplatform.structured.matcher;

import dev.llmplatform.structured.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Serialises a JSON value compactly, choosing for every object an order of its members that the
 * grammar accepts (depth-first search with a step budget). Schema grammars emit members in schema
 * order; a JSON object is an unordered set of members, so an instance written in another order is
 * still the same value. Evaluations use this to ask "does the grammar accept this value", rather than
 * "this particular spelling of it". Returns null when no accepted order is found.
 */
public final class MemberOrderSearch {
    private final PushdownParser parser;
    private int budget;

    private MemberOrderSearch(CompiledGrammar g) {
        this.parser = new PushdownParser(g);
    }

    public static String serialize(CompiledGrammar grammar, Object value) {
        MemberOrderSearch s = new MemberOrderSearch(grammar);
        s.budget = 200_000;
        StringBuilder out = new StringBuilder();
        Frame[] end = s.emit(s.parser.start(), value, out);
        return end != null && PushdownParser.canEnd(end) ? out.toString() : null;
    }

    private Frame[] step(Frame[] state, String text) {
        if (--budget < 0) {
            return null;
        }
        Frame[] next = parser.run(state, text.getBytes(StandardCharsets.UTF_8));
        return next.length == 0 ? null : next;
    }

    @SuppressWarnings("unchecked")
    private Frame[] emit(Frame[] state, Object value, StringBuilder out) {
        if (value instanceof Map<?, ?> m) {
            Frame[] s = step(state, "{");
            if (s == null) {
                return null;
            }
            int mark = out.length();
            out.append('{');
            List<Map.Entry<String, Object>> members = new ArrayList<>(((Map<String, Object>) m).entrySet());
            Frame[] r = members(s, members, new boolean[members.size()], 0, out);
            if (r == null) {
                out.setLength(mark);
            }
            return r;
        }
        if (value instanceof List<?> list) {
            int mark = out.length();
            Frame[] s = step(state, "[");
            out.append('[');
            for (int i = 0; i < list.size() && s != null; i++) {
                if (i > 0) {
                    s = step(s, ",");
                    out.append(',');
                }
                if (s != null) {
                    s = emit(s, list.get(i), out);
                }
            }
            if (s != null) {
                s = step(s, "]");
                out.append(']');
            }
            if (s == null) {
                out.setLength(mark);
            }
            return s;
        }
        String text = Json.write(value);
        Frame[] s = step(state, text);
        if (s != null) {
            out.append(text);
        }
        return s;
    }

    /** Tries each unused member next; backtracks when the rest cannot follow. */
    private Frame[] members(Frame[] state, List<Map.Entry<String, Object>> members, boolean[] used, int done,
            StringBuilder out) {
        if (done == members.size()) {
            Frame[] s = step(state, "}");
            if (s != null) {
                out.append('}');
            }
            return s;
        }
        for (int i = 0; i < members.size(); i++) {
            if (used[i] || budget < 0) {
                continue;
            }
            int mark = out.length();
            StringBuilder key = new StringBuilder(done > 0 ? "," : "");
            Json.writeString(members.get(i).getKey(), key);
            key.append(':');
            Frame[] s = step(state, key.toString());
            if (s == null) {
                continue;
            }
            out.append(key);
            s = emit(s, members.get(i).getValue(), out);
            if (s != null) {
                used[i] = true;
                Frame[] r = members(s, members, used, done + 1, out);
                if (r != null) {
                    return r;
                }
                used[i] = false;
            }
            out.setLength(mark);
        }
        return null;
    }
}
