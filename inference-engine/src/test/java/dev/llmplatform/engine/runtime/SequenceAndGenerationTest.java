package dev.llmplatform.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.testing.SharedTestData;
import dev.llmplatform.engine.tokenizer.SpecialTokens;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runtime on a real (tiny) model: cache consistency, independent sequences, the generation loop. */
class SequenceAndGenerationTest {
    private static Engine engine;
    private static final int[] PROMPT = {1, 450, 7483, 310, 3444, 338, 278, 4272, 310, 1749, 29892, 607};

    @BeforeAll
    static void load() {
        engine = Engine.load(SharedTestData.require("models/qwen2-Q8_0.gguf"));
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    /** Renders token {@code id} as "[id]" so tests can see exactly which tokens were emitted. */
    static final class BracketTokenizer implements Tokenizer {
        final int vocab;
        final SpecialTokens special;

        BracketTokenizer(int vocab, int eos) {
            this.vocab = vocab;
            this.special = new SpecialTokens(-1, eos, -1, -1, -1, false, false);
        }

        @Override
        public int[] encode(String text, boolean parseSpecial) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String decode(int[] ids) {
            StringBuilder b = new StringBuilder();
            for (int id : ids) {
                b.append(new String(tokenBytes(id), StandardCharsets.UTF_8));
            }
            return b.toString();
        }

        @Override
        public byte[] tokenBytes(int id) {
            return id == special.eos() ? new byte[0] : ("[" + id + "]").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String tokenText(int id) {
            return "[" + id + "]";
        }

        @Override
        public int vocabularySize() {
            return vocab;
        }

        @Override
        public SpecialTokens specialTokens() {
            return special;
        }
    }

    private static Generator generator() {
        return new Generator(new BracketTokenizer(engine.model().vocabularySize(), 50256));
    }

    @Test
    void decodingOneTokenAtATimeMatchesTheBatchedPass() {
        int vocab = engine.model().vocabularySize();
        List<float[]> batched = new ArrayList<>();
        Sequence all = engine.newSequence(PROMPT.length);
        all.appendScoringAll(PROMPT, (i, logits, off) -> batched.add(java.util.Arrays.copyOfRange(logits, off, off + vocab)));

        // Batches of 5 cross chunk boundaries; then single tokens.
        Sequence stepwise = new Sequence(engine.model(), PROMPT.length, 5);
        float[] last = stepwise.append(java.util.Arrays.copyOf(PROMPT, 7));
        assertClose(last, batched.get(6));
        for (int i = 7; i < PROMPT.length; i++) {
            assertClose(stepwise.append(PROMPT[i]), batched.get(i));
        }
        assertThat(stepwise.length()).isEqualTo(PROMPT.length);
        assertThatThrownBy(() -> stepwise.append(5)).isInstanceOf(Sequence.ContextFullException.class);
    }

    @Test
    void theCacheGrowsWithUseAndKeepsWhatItHolds() {
        int[] tokens = new int[300];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 1 + i * 37 % 50000;
        }
        int vocab = engine.model().vocabularySize();
        Sequence batched = engine.newSequence(1024);
        float[] lastBatched = new float[vocab];
        batched.appendScoringAll(tokens, (i, logits, off) -> {
            if (i == tokens.length - 1) {
                System.arraycopy(logits, off, lastBatched, 0, vocab);
            }
        });
        Sequence stepwise = engine.newSequence(1024);
        assertThat(stepwise.cache().reserved()).isEqualTo(256);
        float[] last = null;
        for (int t : tokens) {
            last = stepwise.append(t);
        }
        assertThat(stepwise.cache().reserved()).isEqualTo(512);
        assertThat(stepwise.cache().byteSize()).isLessThan(engine.newSequence(1024).cache().byteSize() * 4);
        assertClose(last, lastBatched);
    }

    private static void assertClose(float[] actual, float[] expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-3f));
        }
    }

    @Test
    void batchedDecodingOfSeveralSequencesMatchesDecodingEachAlone() {
        int[] promptA = java.util.Arrays.copyOf(PROMPT, 9);
        int[] promptB = {1, 3087, 2501, 263, 931};
        int[][] next = {{29889, 3444}, {278, 4272}};
        Sequence a = engine.newSequence(32);
        Sequence b = engine.newSequence(32);
        a.append(promptA);
        b.append(promptB);
        Sequence aloneA = engine.newSequence(32);
        Sequence aloneB = engine.newSequence(32);
        aloneA.append(promptA);
        aloneB.append(promptB);
        BatchDecoder decoder = new BatchDecoder(engine.model(), 4);
        for (int step = 0; step < 2; step++) {
            decoder.decode(List.of(a, b), new int[] {next[0][step], next[1][step]});
            assertClose(a.logits(), aloneA.append(next[0][step]));
            assertClose(b.logits(), aloneB.append(next[1][step]));
        }
        assertThat(a.tokens()).isEqualTo(aloneA.tokens());
        assertThat(b.length()).isEqualTo(promptB.length + 2);
        assertThatThrownBy(() -> decoder.decode(List.of(a, a), new int[] {5, 6}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sameSeedSameOutputAndSequencesAreIndependentAcrossThreads() throws Exception {
        SamplingParams params = SamplingParams.defaults().withTemperature(1.0f).withSeed(99L);
        GenerationRequest req = GenerationRequest.of(PROMPT, 12, params);
        int[] alone = generator().generate(engine.newSequence(64), req, e -> { }).tokens();
        assertThat(alone).hasSize(12);

        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<int[]>> runs = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Callable<int[]> job = () -> generator().generate(engine.newSequence(64), req, e -> { }).tokens();
                runs.add(pool.submit(job));
            }
            for (Future<int[]> f : runs) {
                assertThat(f.get()).isEqualTo(alone);
            }
        } finally {
            pool.shutdown();
        }
        int[] otherSeed = generator().generate(engine.newSequence(64),
                GenerationRequest.of(PROMPT, 12, params.withSeed(100L)), e -> { }).tokens();
        assertThat(otherSeed).isNotEqualTo(alone);
    }

    @Test
    void greedyGenerationStreamsTokensAndStopsAtTheLimit() {
        List<GenerationEvent> events = new ArrayList<>();
        GenerationResult r = generator().generate(engine.newSequence(64),
                GenerationRequest.of(PROMPT, 6, SamplingParams.greedy()).withTopLogprobs(3), events::add);
        assertThat(r.reason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.tokens()).hasSize(6);
        assertThat(events).hasSize(7).last().isInstanceOf(GenerationEvent.Finished.class);
        StringBuilder streamed = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            var token = (GenerationEvent.Token) events.get(i);
            assertThat(token.id()).isEqualTo(r.tokens()[i]);
            // Greedy: the chosen token is the most likely one.
            assertThat(token.topLogprobs()).hasSize(3);
            assertThat(token.topLogprobs().getFirst().id()).isEqualTo(token.id());
            assertThat(token.logprob()).isEqualTo(token.topLogprobs().getFirst().logprob());
            streamed.append(token.text());
        }
        assertThat(streamed.toString()).isEqualTo(r.text());
        assertThat(r.text()).isEqualTo(new BracketTokenizer(1, -1).decode(r.tokens()));
    }

    @Test
    void stopStringsAndStopTokensEndGeneration() {
        GenerationRequest base = GenerationRequest.of(PROMPT, 8, SamplingParams.greedy());
        int[] free = generator().generate(engine.newSequence(64), base, e -> { }).tokens();

        // Stopping on the text of the third token: only the first two come out.
        GenerationResult byString = generator().generate(engine.newSequence(64),
                base.withStop(List.of("[" + free[2] + "]")), e -> { });
        assertThat(byString.reason()).isEqualTo(FinishReason.STOP);
        assertThat(byString.text()).isEqualTo("[" + free[0] + "][" + free[1] + "]");

        GenerationResult byToken = generator().generate(engine.newSequence(64),
                base.withStopTokens(Set.of(free[3])), e -> { });
        assertThat(byToken.reason()).isEqualTo(FinishReason.STOP);
        assertThat(byToken.tokens()).containsExactly(free[0], free[1], free[2]);
    }

    @Test
    void aFollowUpRequestReusesTheCachedPrefix() {
        Sequence seq = engine.newSequence(64);
        GenerationResult first = generator().generate(seq, GenerationRequest.of(PROMPT, 4, SamplingParams.greedy()), e -> { });
        int[] extended = java.util.Arrays.copyOf(PROMPT, PROMPT.length + 2);
        extended[PROMPT.length] = first.tokens()[0];
        extended[PROMPT.length + 1] = first.tokens()[1];
        GenerationResult second = generator().generate(seq, GenerationRequest.of(extended, 2, SamplingParams.greedy()), e -> { });
        assertThat(second.stats().cachedPromptTokens()).isEqualTo(PROMPT.length + 1);
        // Same continuation as generating from scratch.
        assertThat(second.tokens()).containsExactly(first.tokens()[2], first.tokens()[3]);
    }

    @Test
    void scoreGivesTheLogSoftmaxAfterEachPrefix() {
        var scored = engine.score(PROMPT, 5);
        assertThat(scored).hasSize(PROMPT.length);
        Sequence seq = engine.newSequence(PROMPT.length);
        float[] logits = seq.append(java.util.Arrays.copyOf(PROMPT, 4));
        var top = LogProbs.top(logits, 0, logits.length, 5);
        assertThat(scored.get(3)).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(scored.get(3).get(i).id()).isEqualTo(top.get(i).id());
            assertThat(scored.get(3).get(i).logprob()).isCloseTo(top.get(i).logprob(), within(1e-3f));
        }
        double total = 0;
        for (TokenLogprob t : scored.get(0)) {
            total += Math.exp(t.logprob());
        }
        assertThat(total).isLessThanOrEqualTo(1.0 + 1e-5);
    }
}
