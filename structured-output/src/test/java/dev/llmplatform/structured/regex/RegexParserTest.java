package dev.llmplatform.structured.regex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.structured.StructuredOutput;
import dev.llmplatform.structured.gbnf.GbnfWriter;
import dev.llmplatform.structured.matcher.ByteMatcher;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Regex to grammar, checked against java.util.regex (same meaning as ECMAScript for this subset) on
 * random strings over each pattern's alphabet: search semantics for JSON Schema {@code pattern},
 * full-match for the {@code regex} constraint.
 */
class RegexParserTest {

    private static final List<String> PATTERNS = List.of("abc", "^abc", "abc$", "^a(b|cd)*e?$", "^[a-c]{2,3}\\d$",
            "x+y", "^(ab|a)(c|bcd)$", "[^ab]", "^\\w+@\\w+\\.com$", "^\\s*\\S+\\s*$", "^a.b$", "^(?:a|b){3}$",
            "^(?<y>\\d{4})-\\d\\d$", "^[\\-.]+$", "colou?r", "^a{2,}$", "^a*?b+?$", "\\.", "^[a-c\\d]*$", "a|^b$",
            "^\\x41\\u0042$", "^[\\^\\]]$");
    private static final String ALPHABET = "abcdexy0129@.- _]^AB\t\u00e9";

    @Test
    void jsonSchemaPatternsSearchLikeJavaRegex() {
        Random r = new Random(3);
        for (String p : PATTERNS) {
            ByteMatcher search = new ByteMatcher(StructuredOutput.compileGbnf(
                    "root ::= " + new GbnfWriter(GbnfWriter.Mode.RAW).write(RegexParser.parseSearch(p))));
            ByteMatcher full = new ByteMatcher(StructuredOutput.compileGbnf(
                    "root ::= " + new GbnfWriter(GbnfWriter.Mode.RAW).write(RegexParser.parseFull(p.replace("^", "")
                            .replace("$", "")))));
            Pattern java = Pattern.compile(p);
            Pattern javaFull = Pattern.compile(p.replace("^", "").replace("$", ""));
            for (int i = 0; i < 400; i++) {
                String s = randomString(r, p);
                assertThat(search.matches(s)).as("/%s/ search %s", p, s).isEqualTo(java.matcher(s).find());
                if (!p.contains("\\^") && !p.contains("|^")) {
                    assertThat(full.matches(s)).as("/%s/ full %s", p, s).isEqualTo(javaFull.matcher(s).matches());
                }
            }
        }
    }

    /** Strings mixing the pattern's own literal characters with a fixed alphabet, so matches happen. */
    private static String randomString(Random r, String pattern) {
        String chars = ALPHABET + pattern.replaceAll("[\\\\^$()|?*+{}\\[\\]]", "");
        int len = r.nextInt(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    @Test
    void jsonStringContentIsEscaped() {
        String gbnf = "root ::= \"\\\"\" " + new GbnfWriter(GbnfWriter.Mode.JSON_STRING_CONTENT)
                .write(RegexParser.parseFull("a[\"\\\\\\n]b")) + " \"\\\"\"";
        ByteMatcher m = new ByteMatcher(StructuredOutput.compileGbnf(gbnf));
        assertThat(m.matches("\"a\\\"b\"")).isTrue();
        assertThat(m.matches("\"a\\\\b\"")).isTrue();
        assertThat(m.matches("\"a\\nb\"")).isTrue();
        assertThat(m.matches("\"a\\u000ab\"")).isTrue();
        assertThat(m.matches("\"a\"b\"")).isFalse();
    }

    @Test
    void unsupportedConstructsAreClearErrors() {
        assertThatThrownBy(() -> RegexParser.parseSearch("(?=a)b")).hasMessageContaining("lookaround");
        assertThatThrownBy(() -> RegexParser.parseSearch("(a)\\1")).hasMessageContaining("backreferences");
        assertThatThrownBy(() -> RegexParser.parseSearch("\\bword")).hasMessageContaining("word boundary");
        assertThatThrownBy(() -> RegexParser.parseSearch("a(b")).hasMessageContaining("missing ')'");
        assertThatThrownBy(() -> RegexParser.parseSearch("[a")).hasMessageContaining("unterminated");
    }
}
