package dev.llmplatform.structured.gbnf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named rules (in definition order) and the start rule. */
public record Grammar(Map<String, GrammarExpr> rules, String root) {

    public Grammar {
        rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
        if (!rules.containsKey(root)) {
            throw new IllegalArgumentException("grammar has no rule '" + root + "'");
        }
    }

    /** Parses GBNF text whose start rule is {@code root}. */
    public static Grammar parse(String gbnf) {
        return new GbnfParser(gbnf).parse("root");
    }
}
