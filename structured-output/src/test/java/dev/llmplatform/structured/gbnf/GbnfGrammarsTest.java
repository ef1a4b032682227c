package dev.llmplatform.structured.gbnf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.testing.SharedTestData;
import dev.llmplatform.structured.matcher.ByteMatcher;
import dev.llmplatform.structured.matcher.GrammarCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * llama.cpp's example grammars: each must parse and accept/reject strings as llama.cpp's grammar
 * engine does. The cases were written by reading each grammar (e.g. json.gbnf's exponent is
 * {@code [0-9] [1-9]{0,15}}, so {@code 1e10} is rejected there but {@code 1e19} accepted).
 */
class GbnfGrammarsTest {

    record Case(String file, List<String> accept, List<String> reject) {
        @Override
        public String toString() {
            return file;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("json.gbnf",
                        List.of("{}", "{} ", "{}\n  ", "{\"a\": 1}", "{\"a\":[1,2,{\"b\":null}],\"c\":\"x\\n\"}",
                                "{\"a\": 1e19}", "{\"a\": -0.5E+1}", "{\"k\": \"\\u00e9\u00e9\u4e2d\"}",
                                "{\"t\": true, \"f\": false}"),
                        List.of("[]", "{\"a\":01}", "{\"a\" 1}", "{\"a\":1,}", "{\"a\": 1e10}", "{\"a\":\"\\/\"}",
                                "{\"a\":\"\u0001\"}", "{", " {}", "{\"a\": tru}")),
                new Case("json_arr.gbnf",
                        List.of("[\n]", "[\n1,\n2]", "[\n{\"a\": \"b\"},\n[1, 2]]", "[\n 1e10]"),
                        List.of("[]", "[\n1, 2]", "[\n1]\n", "[\n1e05]")),
                new Case("arithmetic.gbnf",
                        List.of("1+2=3\n", "a*(b+c)=x\n", "x=1\ny=2\n", "a1_b /7= 3\n"),
                        List.of("1+2=3", "=3\n", "1+=3\n", "A=1\n")),
                new Case("list.gbnf",
                        List.of("- foo\n", "- foo\n- bar baz\n", "- \u00e9t\u00e9\n"),
                        List.of("- \n", "foo\n", "", "- a\u2028b\n", "- a\u0085\n")),
                new Case("chess.gbnf",
                        List.of("1. e4 e5\n2. Nf3 Nc6\n", "1. d4 Nf6\n2. c4 e6\n3. Nc3 Bb4+\n",
                                "1. e4 e5\n2. O-O O-O-O\n", "1. exd5 Qxd5#\n2. a8=Q h1=N\n"),
                        List.of("1. e4 e5\n", "1. e9 e5\n2. d4 d5\n", "2. e4 e5\n2. d4 d5\n", "1. e4 e5\n0. d4 d5\n")),
                new Case("c.gbnf",
                        List.of("int main(){return 0;}", "int f(int x){x = x+1;return x;}",
                                "float g(){while(a<b){a = a*2;}}", "char c(){// hi\n}", ""),
                        List.of("int main(){return 0}", "int main{}", "main(){}", "intmain(){}")),
                new Case("english.gbnf",
                        List.of("Hello, world!", "one two\tthree\nfour", "a"),
                        List.of("Hello  world", "h\u00e9llo", "", "trailing ")),
                new Case("japanese.gbnf",
                        List.of("\u3053\u3093\u306b\u3061\u306f", "\u30ab\u30bf\u30ab\u30ca \u6f22\u5b57", "\u3001"),
                        List.of("hello", "\u3053\u3093  \u306b", "", "\u6f22\u5b57\u00e9")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void acceptsAndRejectsLikeLlamaCpp(Case c) throws IOException {
        Path file = SharedTestData.require("grammars/" + c.file());
        Grammar grammar = Grammar.parse(Files.readString(file));
        ByteMatcher matcher = new ByteMatcher(GrammarCompiler.compile(grammar));
        for (String s : c.accept()) {
            assertThat(matcher.matches(s)).as("%s should accept %s", c.file(), s).isTrue();
        }
        for (String s : c.reject()) {
            assertThat(matcher.matches(s)).as("%s should reject %s", c.file(), s).isFalse();
        }
    }

    @Test
    void everyGrammarInTheFolderParses() throws IOException {
        Path dir = SharedTestData.require("grammars");
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".gbnf")).toList()) {
                GrammarCompiler.compile(Grammar.parse(Files.readString(f)));
            }
        }
    }

    @Test
    void syntaxErrorsNameLineAndColumn() {
        assertThatThrownBy(() -> Grammar.parse("root ::= \"a\"\nfoo ::= [abc"))
                .isInstanceOf(GbnfSyntaxException.class)
                .hasMessageContaining("line 2, column 9").hasMessageContaining("unterminated character class");
        assertThatThrownBy(() -> Grammar.parse("root ::= bar"))
                .hasMessageContaining("undefined rule 'bar'").hasMessageContaining("line 1, column 10");
        assertThatThrownBy(() -> Grammar.parse("root = \"a\""))
                .hasMessageContaining("expected '::='").hasMessageContaining("column 6");
        assertThatThrownBy(() -> Grammar.parse("root ::= \"a\\q\""))
                .hasMessageContaining("unknown escape");
        assertThatThrownBy(() -> Grammar.parse("root ::= (\"a\" | \"b\""))
                .hasMessageContaining("expected ')'");
        assertThatThrownBy(() -> Grammar.parse("item ::= \"a\""))
                .hasMessageContaining("start rule 'root'");
        assertThatThrownBy(() -> Grammar.parse("root ::= \"a\"{3,1}"))
                .hasMessageContaining("max < min");
    }

    @Test
    void featuresMatchTheirMeaning() {
        assertMatches("root ::= \"a\"{2,3}", List.of("aa", "aaa"), List.of("a", "aaaa"));
        assertMatches("root ::= \"a\"{2}", List.of("aa"), List.of("a", "aaa"));
        assertMatches("root ::= \"a\"{2,}", List.of("aa", "aaaaa"), List.of("a"));
        assertMatches("root ::= (\"ab\" | \"c\")* \"d\"?", List.of("", "abcab", "cd", "d"), List.of("a", "dd"));
        assertMatches("root ::= [^a-c\\x00] [\\u00e0-\\u00ff]", List.of("d\u00e9", "\u4e2d\u00ff"),
                List.of("b\u00e9", "dd"));
        assertMatches("root ::= . .", List.of("ab", "\uD83D\uDE00x", "\u00e9\u4e2d"), List.of("a", "abc"));
        assertMatches("root ::= \"\\x41\\u00e9\\U0001F600\\t\\\"\\[\\]\\\\\"",
                List.of("A\u00e9\uD83D\uDE00\t\"[]\\"), List.of("A"));
        assertMatches("# comment\nroot ::= a # trailing\na ::= \"x\" |\n  \"y\"", List.of("x", "y"), List.of("z"));
        assertMatches("root ::= (\"a\"?)* \"b\"", List.of("b", "aab"), List.of("a"));
    }

    @Test
    void leftRecursionIsRejectedWithTheRuleName() {
        assertThatThrownBy(() -> GrammarCompiler.compile(Grammar.parse("root ::= expr\nexpr ::= expr \"+\" \"1\" | \"1\"")))
                .hasMessageContaining("left recursion").hasMessageContaining("expr");
    }

    private static void assertMatches(String gbnf, List<String> accept, List<String> reject) {
        ByteMatcher m = new ByteMatcher(GrammarCompiler.compile(Grammar.parse(gbnf)));
        accept.forEach(s -> assertThat(m.matches(s)).as("%s accepts %s", gbnf, s).isTrue());
        reject.forEach(s -> assertThat(m.matches(s)).as("%s rejects %s", gbnf, s).isFalse());
    }
}
