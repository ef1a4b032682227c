package dev.llmplatform.structured.schema;

import dev.llmplatform.structured.gbnf.CodePointSets;
import dev.llmplatform.structured.gbnf.GbnfWriter;
import dev.llmplatform.structured.gbnf.GrammarExpr;
import dev.llmplatform.structured.json.Json;
import dev.llmplatform.structured.regex.RegexParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules for strings: {@code minLength}/{@code maxLength}, {@code pattern} (regex to grammar, lengths
 * folded in where the pattern implies or pins them), {@code format} (date, time, date-time, uuid,
 * email, uri, ipv4, hostname), and strings other than a given few ({@code not} of an enum, keys other
 * than the declared ones). What cannot be combined exactly is added to {@code unenforced}.
 */
final class StringRules {
    /** Internal keyword: patterns a string must not match (from expanding {@code not {pattern}}). */
    static final String NOT_PATTERNS = "\u0000notPatterns";
    /** Internal keyword: patterns a string must match beside {@code pattern} (from merging allOf). */
    static final String MORE_PATTERNS = "\u0000morePatterns";
    private static final String NEVER = GrammarRules.NEVER;
    private final GrammarRules rules;
    private final Set<String> unenforced;

    StringRules(GrammarRules rules, Set<String> unenforced) {
        this.rules = rules;
        this.unenforced = unenforced;
    }

    String stringRule(Map<String, Object> m, String path, Set<String> negatedValues) {
        String pattern = m.get("pattern") instanceof String p ? p : null;
        String format = m.get("format") instanceof String f ? f : null;
        Integer minLen = NumberRules.intValue(m.get("minLength"));
        Integer maxLen = NumberRules.intValue(m.get("maxLength"));
        boolean lengths = (minLen != null && minLen > 0) || maxLen != null;
        rules.primitive("space");
        List<String> forbidden = new ArrayList<>();
        for (String v : negatedValues) {
            if (v.startsWith("\"")) {
                forbidden.add((String) Json.parse(v));
            }
        }
        List<Object> notPatterns = m.get(NOT_PATTERNS) instanceof List<?> l ? List.copyOf(l) : List.of();
        List<Object> patterns = new ArrayList<>(m.get(MORE_PATTERNS) instanceof List<?> l ? l : List.of());
        if (pattern != null) {
            patterns.addFirst(pattern);
        }
        boolean knownFormat = format != null && formatRule(format) != null;
        if (!notPatterns.isEmpty() || patterns.size() > 1
                || (!forbidden.isEmpty() && (pattern != null || lengths) && !knownFormat)) {
            String exact = byAutomaton(patterns, minLen, maxLen, notPatterns, forbidden, path);
            if (knownFormat) {
                unenforced.add(path + ": format '" + format + "' together with 'not' {pattern}");
            }
            if (exact != null) {
                return exact;
            }
            unenforced.add(path + ": several patterns or 'not' {pattern} (automaton too large or regex unsupported)");
        }
        if (!forbidden.isEmpty()) {
            if (pattern != null || lengths || knownFormat) {
                unenforced.add(path + ": 'not' {enum} together with pattern/format/length");
            } else {
                return rules.define(path + "-string-not", stringExcluding(forbidden, path) + " space");
            }
        }
        if (pattern != null && lengths) {
            String both = patternWithLength(pattern, minLen == null ? 0 : minLen, maxLen);
            if (both == null) {
                both = patternImplyingLength(pattern, minLen == null ? 0 : minLen, maxLen);
            }
            if (both != null) {
                return both.equals(NEVER) ? NEVER
                        : rules.define(path + "-pattern", "\"\\\"\" " + both + " \"\\\"\" space");
            }
            String exact = byAutomaton(List.of(pattern), minLen, maxLen, List.of(), List.of(), path);
            if (exact != null) {
                return exact;
            }
        }
        if (pattern != null) {
            if (lengths) {
                unenforced.add(path + ": minLength/maxLength together with pattern");
            }
            if (format != null && formatRule(format) != null) {
                unenforced.add(path + ": format '" + format + "' together with pattern");
            }
            String content;
            try {
                content = new GbnfWriter(GbnfWriter.Mode.JSON_STRING_CONTENT).write(RegexParser.parseSearch(pattern));
            } catch (IllegalArgumentException e) {
                unenforced.add(path + ": pattern: " + e.getMessage());
                return rules.primitive("string");
            }
            return rules.define(path + "-pattern", "\"\\\"\" " + content + " \"\\\"\" space");
        }
        if (format != null) {
            String f = formatRule(format);
            if (f != null) {
                if (lengths) {
                    unenforced.add(path + ": minLength/maxLength together with format '" + format + "'");
                }
                return rules.define("format-" + format, "\"\\\"\" " + f + " \"\\\"\" space");
            }
        }
        if (lengths) {
            int lo = minLen == null ? 0 : minLen;
            if (maxLen != null && maxLen < lo) {
                return NEVER;
            }
            rules.primitive("char");
            String rep = maxLen == null ? "{" + lo + ",}" : lo == maxLen ? "{" + lo + "}" : "{" + lo + "," + maxLen + "}";
            return rules.define(path + "-string", "\"\\\"\" char" + rep + " \"\\\"\" space");
        }
        return rules.primitive("string");
    }

    /**
     * Patterns, lengths, negated patterns and excluded values together, as one automaton over the
     * string's content ({@link KeyConstraints}): exact, as long as the automaton stays bounded. Null
     * when it does not.
     */
    @SuppressWarnings("unchecked")
    private String byAutomaton(List<Object> patterns, Integer minLen, Integer maxLen, List<Object> notPatterns,
            List<String> forbidden, String path) {
        List<Object> parts = new ArrayList<>();
        for (Object p : patterns) {
            parts.add(Map.of("pattern", p));
        }
        if (minLen != null && minLen > 0) {
            parts.add(Map.of("minLength", new Json.JsonNumber(Integer.toString(minLen))));
        }
        if (maxLen != null) {
            parts.add(Map.of("maxLength", new Json.JsonNumber(Integer.toString(maxLen))));
        }
        for (Object p : notPatterns) {
            parts.add(Map.of("not", Map.of("pattern", p)));
        }
        if (!forbidden.isEmpty()) {
            parts.add(Map.of("not", Map.of("enum", List.copyOf(forbidden))));
        }
        KeyConstraints c = KeyConstraints.of(Map.of("allOf", parts), s -> (Map<String, Object>) s);
        String content = c == null ? null : c.stringRule(rules, path + "-str");
        if (content == null || content.equals(NEVER)) {
            return content;
        }
        return rules.define(path + "-string-auto", content + " space");
    }

    /**
     * A pattern of the form {@code ^X{m,n}$} (or {@code * + ?}) where X matches one character, with
     * the length bounds folded into the repetition; null for any other pattern.
     */
    static String patternWithLength(String pattern, int minLen, Integer maxLen) {
        if (!pattern.startsWith("^") || !pattern.endsWith("$") || pattern.endsWith("\\$") || pattern.length() < 3) {
            return null;
        }
        GrammarExpr e;
        try {
            e = RegexParser.parseFull(pattern.substring(1, pattern.length() - 1));
        } catch (IllegalArgumentException ex) {
            return null;
        }
        if (!(e instanceof GrammarExpr.Repeat r) || !(r.item() instanceof GrammarExpr.CharClass
                || (r.item() instanceof GrammarExpr.Literal l && l.text().codePointCount(0, l.text().length()) == 1))) {
            return null;
        }
        int lo = Math.max(r.min(), minLen);
        int hi = r.max() == GrammarExpr.Repeat.UNBOUNDED ? (maxLen == null ? GrammarExpr.Repeat.UNBOUNDED : maxLen)
                : maxLen == null ? r.max() : Math.min(r.max(), maxLen);
        if (hi != GrammarExpr.Repeat.UNBOUNDED && hi < lo) {
            return NEVER;
        }
        return new GbnfWriter(GbnfWriter.Mode.JSON_STRING_CONTENT).write(new GrammarExpr.Repeat(r.item(), lo, hi));
    }

    /**
     * Pattern and lengths together where the lengths add nothing or pin the match: every string the
     * pattern admits already has an allowed length (the lengths are redundant), or the longest allowed
     * string is as short as the pattern's shortest match and all of the pattern's own matches have
     * that one length (an unanchored pattern then matches the whole string). Null otherwise.
     */
    static String patternImplyingLength(String pattern, int minLen, Integer maxLen) {
        GrammarExpr search;
        try {
            search = RegexParser.parseSearch(pattern);
        } catch (IllegalArgumentException e) {
            return null;
        }
        RegexLengths whole = RegexLengths.of(search);
        GbnfWriter writer = new GbnfWriter(GbnfWriter.Mode.JSON_STRING_CONTENT);
        if (whole.min() >= minLen && (maxLen == null || whole.max() <= maxLen)) {
            return writer.write(search);
        }
        if (maxLen != null && maxLen < whole.min()) {
            return NEVER;
        }
        if (maxLen == null || maxLen != whole.min() || maxLen < minLen) {
            return null;
        }
        String body = pattern;
        if (body.startsWith("^")) {
            body = body.substring(1);
        }
        if (body.endsWith("$") && !body.endsWith("\\$")) {
            body = body.substring(0, body.length() - 1);
        }
        GrammarExpr full;
        try {
            full = RegexParser.parseFull(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
        RegexLengths match = RegexLengths.of(full);
        return match.min() == maxLen && match.max() == maxLen ? writer.write(full) : null;
    }

    /** Content grammar for a string format, or null for formats we treat as annotations. */
    static String formatRule(String format) {
        String date = "[0-9]{4} \"-\" (\"0\" [1-9] | \"1\" [0-2]) \"-\" (\"0\" [1-9] | [12] [0-9] | \"3\" [01])";
        String time = "([01] [0-9] | \"2\" [0-3]) \":\" [0-5] [0-9] \":\" ([0-5] [0-9] | \"60\") (\".\" [0-9]+)? "
                + "([zZ] | [+-] ([01] [0-9] | \"2\" [0-3]) \":\" [0-5] [0-9])";
        return switch (format) {
            case "date" -> date;
            case "time" -> time;
            case "date-time" -> date + " [tT] " + time;
            case "uuid" -> "[0-9a-fA-F]{8} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{12}";
            case "email" -> "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+ (\".\" [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)* \"@\" "
                    + "([A-Za-z0-9] ([A-Za-z0-9-]* [A-Za-z0-9])? \".\")* [A-Za-z0-9] ([A-Za-z0-9-]* [A-Za-z0-9])?";
            case "uri" -> "[A-Za-z] [A-Za-z0-9+.-]* \":\" [^\"\\\\\\x00-\\x20<>{}|^`]*";
            case "ipv4" -> "(([0-9] | [1-9] [0-9] | \"1\" [0-9] [0-9] | \"2\" [0-4] [0-9] | \"25\" [0-5]) \".\"){3} "
                    + "([0-9] | [1-9] [0-9] | \"1\" [0-9] [0-9] | \"2\" [0-4] [0-9] | \"25\" [0-5])";
            case "hostname" -> "[A-Za-z0-9] ([A-Za-z0-9-]* [A-Za-z0-9])? (\".\" [A-Za-z0-9] ([A-Za-z0-9-]* [A-Za-z0-9])?)*";
            default -> null;
        };
    }

    /**
     * A JSON string (quotes included, no trailing space) whose value is none of {@code excluded}: a
     * trie of the excluded values where leaving the trie (another character, an escape) or closing the
     * quote at a non-final node is allowed.
     */
    String stringExcluding(List<String> excluded, String hint) {
        Trie root = new Trie();
        for (String v : excluded) {
            Trie t = root;
            for (int cp : v.codePoints().toArray()) {
                t = t.children.computeIfAbsent(cp, k -> new Trie());
            }
            t.terminal = true;
        }
        rules.primitive("char");
        String rest = rules.define("string-rest", "char* \"\\\"\"");
        return rules.define(hint + "-str", "\"\\\"\" " + trieRule(root, rest, hint));
    }

    private static final class Trie {
        final java.util.TreeMap<Integer, Trie> children = new java.util.TreeMap<>();
        boolean terminal;
    }

    String trieRule(Trie node, String rest, String hint) {
        List<String> alts = new ArrayList<>();
        if (!node.terminal) {
            alts.add("\"\\\"\"");
        }
        List<Integer> ex = new ArrayList<>(List.of(0, 0x1F, (int) '"', (int) '"', (int) '\\', (int) '\\'));
        for (Map.Entry<Integer, Trie> c : node.children.entrySet()) {
            alts.add(GbnfWriter.literal(GbnfWriter.jsonEscape(c.getKey())) + " " + trieRule(c.getValue(), rest, hint));
            ex.add(c.getKey());
            ex.add(c.getKey());
        }
        int[] plain = CodePointSets.normalize(
                ex.stream().mapToInt(Integer::intValue).toArray(), true);
        alts.add(GbnfWriter.classText(plain) + " " + rest);
        alts.add("\"\\\\\" ([\"\\\\/bfnrt] | \"u\" [0-9a-fA-F]{4}) " + rest);
        return rules.define(hint + "-k", String.join(" | ", alts));
    }

}
