package dev.llmplatform.structured.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.testing.SharedTestData;
import dev.llmplatform.structured.StructuredOutput;
import dev.llmplatform.structured.schema.JsonSchemaCompiler;
import dev.llmplatform.structured.testing.ByteVocabTokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cached, trie-based masks must equal the brute-force answer (run every token's bytes through the
 * parser) at every step of random walks; EOS only when the grammar can end.
 */
class TokenMaskTest {
    private static final ByteVocabTokenizer TOKENIZER = ByteVocabTokenizer.standard(400, 7);
    private static final TokenVocabulary VOCAB = TokenVocabulary.of(TOKENIZER);

    @Test
    void masksEqualBruteForceOnJsonGbnf() throws Exception {
        String gbnf = Files.readString(SharedTestData.require("grammars/json.gbnf"));
        checkWalks(StructuredOutput.forGbnf(gbnf, VOCAB), 30, 120);
    }

    @Test
    void masksEqualBruteForceOnArithmeticAndChess() throws Exception {
        checkWalks(StructuredOutput.forGbnf(Files.readString(SharedTestData.require("grammars/arithmetic.gbnf")), VOCAB),
                20, 80);
        checkWalks(StructuredOutput.forGbnf(Files.readString(SharedTestData.require("grammars/chess.gbnf")), VOCAB),
                20, 80);
    }

    @Test
    void masksEqualBruteForceOnSchemaGrammars() {
        String schema = """
                {"type":"object","properties":{
                  "name":{"type":"string","maxLength":5},
                  "age":{"type":"integer","minimum":-3,"maximum":120},
                  "tags":{"type":"array","items":{"enum":["a","b","中"]},"maxItems":3},
                  "when":{"type":"string","format":"date"},
                  "nested":{"$ref":"#"}},
                 "required":["name"],"additionalProperties":false}""";
        checkWalks(StructuredOutput.forGbnf(JsonSchemaCompiler.compile(schema).gbnf(), VOCAB), 40, 150);
        checkWalks(StructuredOutput.forJsonMode(VOCAB), 30, 100);
    }

    @Test
    void precomputedMasksAreExactAndCoverEveryContextAWalkMeets() throws Exception {
        String schema = """
                {"type":"object","properties":{
                  "id":{"type":"integer","minimum":0,"maximum":999},
                  "kind":{"enum":["x","y"]},
                  "labels":{"type":"object","patternProperties":{"^l-":{"type":"string"}},
                            "additionalProperties":{"type":"boolean"},"maxProperties":2},
                  "child":{"$ref":"#"}},
                 "required":["id"],"additionalProperties":false}""";
        for (String gbnf : List.of(JsonSchemaCompiler.compile(schema).gbnf(),
                Files.readString(SharedTestData.require("grammars/json.gbnf")))) {
            TokenMasker masker = StructuredOutput.forGbnf(gbnf, VOCAB);
            int precomputed = masker.precompute(TokenMasker.DEFAULT_PRECOMPUTE_STACKS);
            assertThat(precomputed).isPositive();
            checkWalks(masker, 30, 120);
            // no walk needed a per-rule mask that precomputation had not made
            assertThat(masker.localMaskCount()).isEqualTo(precomputed);
        }
    }

    @Test
    void suffixAnswersAreSharedAcrossNestingDepthsAndStayExact() {
        TokenMasker masker = StructuredOutput.forGbnf("""
                root ::= list
                list ::= "[" ( item ( "," item )* )? "]"
                item ::= list | "1"
                """, VOCAB);
        GrammarConstraint c = masker.newConstraint();
        GrammarConstraint brute = masker.newConstraint();
        int depth = 40;
        String text = "[".repeat(depth) + "]".repeat(depth);
        for (int i = 0; i < text.length(); i++) {
            BitSet allowed = new BitSet();
            c.allowedTokens(allowed);
            for (int t = 0; t < VOCAB.size(); t++) {
                assertThat(allowed.get(t)).as("token %d after %d bytes", t, i).isEqualTo(brute.allows(t));
            }
            int id = idOf(text.substring(i, i + 1).getBytes(StandardCharsets.UTF_8));
            c.accept(id);
            brute.accept(id);
        }
        assertThat(c.canEnd()).isTrue();
        // every depth is a new whole state, but a suffix walk ("]," and the like leave the list) needs only
        // the caller's top frames, which all depths share: the walks do not grow with the depth
        assertThat(c.work().stateMisses()).isGreaterThanOrEqualTo(depth);
        assertThat(c.work().suffixWalks()).isLessThan(12);
    }

    @Test
    void multiByteCharactersMaySplitAcrossTokens() {
        TokenMasker m = StructuredOutput.forGbnf("root ::= \"\\\"\" [^\\x00-\\x7F]+ \"\\\"\"", VOCAB);
        GrammarConstraint c = m.newConstraint();
        byte[] zh = "中".getBytes(StandardCharsets.UTF_8);
        c.accept(idOf(new byte[] {'"', zh[0]}));
        BitSet allowed = new BitSet();
        c.allowedTokens(allowed);
        assertThat(allowed.get(idOf(new byte[] {zh[1]}))).isTrue();
        assertThat(allowed.get(idOf(new byte[] {'a'}))).isFalse();
        assertThat(allowed.get(TOKENIZER.eos())).isFalse();
        c.accept(idOf(new byte[] {zh[1]}));
        c.accept(idOf(new byte[] {zh[2], '"'}));
        assertThat(c.canEnd()).isTrue();
        allowed.clear();
        c.allowedTokens(allowed);
        assertThat(allowed.get(TOKENIZER.eos())).isTrue();
        assertThat(allowed.cardinality()).isEqualTo(1);
        c.accept(TOKENIZER.eos());
        assertThat(c.isFinished()).isTrue();
    }

    @Test
    void disallowedTokensAndEarlyEosAreRefused() {
        GrammarConstraint c = StructuredOutput.forGbnf("root ::= \"ab\"", VOCAB).newConstraint();
        assertThatThrownBy(() -> c.accept(TOKENIZER.eos())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.accept(idOf("b".getBytes()))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.accept(TOKENIZER.eos() - 1)).isInstanceOf(IllegalStateException.class);
        c.accept(idOf("ab".getBytes()));
        assertThat(c.canEnd()).isTrue();
    }

    private static int idOf(byte[] bytes) {
        for (int i = 0; i < TOKENIZER.vocabularySize(); i++) {
            if (java.util.Arrays.equals(TOKENIZER.tokenBytes(i), bytes)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no token");
    }

    /** Random walks; at each step the mask must equal the brute-force set. Returns finished outputs. */
    static List<String> checkWalks(TokenMasker masker, int walks, int maxSteps) {
        Random r = new Random(42);
        List<String> finished = new ArrayList<>();
        for (int w = 0; w < walks; w++) {
            GrammarConstraint c = masker.newConstraint();
            GrammarConstraint brute = masker.newConstraint();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int step = 0; step < maxSteps; step++) {
                BitSet allowed = new BitSet();
                c.allowedTokens(allowed);
                BitSet expected = new BitSet();
                for (int t = 0; t < VOCAB.size(); t++) {
                    if (brute.allows(t)) {
                        expected.set(t);
                    }
                }
                assertThat(allowed).as("walk %d step %d after '%s'", w, step, out.toString(StandardCharsets.UTF_8))
                        .isEqualTo(expected);
                assertThat(allowed.get(TOKENIZER.eos())).isEqualTo(c.canEnd());
                if (allowed.isEmpty()) {
                    break;
                }
                int pick = allowed.stream().skip(r.nextInt(allowed.cardinality())).findFirst().orElseThrow();
                c.accept(pick);
                brute.accept(pick);
                if (pick == TOKENIZER.eos()) {
                    finished.add(out.toString(StandardCharsets.UTF_8));
                    break;
                }
                out.writeBytes(VOCAB.tokenBytes(pick));
            }
        }
        return finished;
    }
}
