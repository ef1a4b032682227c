package dev.llmplatform.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.testing.SharedTestData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Continuous batching gives every request exactly what it would get running alone. */
class SchedulerTest {
    private static Engine engine;
    private static final int[][] PROMPTS = {
            {1, 450, 7483, 310, 3444, 338},
            {1, 9038, 2501, 263, 931, 29892, 727, 471},
            {1, 822, 18755, 29898, 29876, 1125},
    };

    @BeforeAll
    static void load() {
        engine = Engine.load(SharedTestData.require("models/llama-spm-Q8_0.gguf"));
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    /**
     * Checks that {@code tokens} are greedy choices for {@code prompt} when run alone. Batched matmuls
     * may sum in another order than single ones, so a choice may differ only within float noise of a tie.
     */
    private static void assertGreedyAlone(int[] prompt, int[] tokens, int expectedCount) {
        assertThat(tokens).hasSize(expectedCount);
        Sequence seq = engine.newSequence(64);
        float[] logits = seq.append(prompt);
        for (int t : tokens) {
            float max = Float.NEGATIVE_INFINITY;
            for (float l : logits) {
                max = Math.max(max, l);
            }
            assertThat(logits[t]).isGreaterThanOrEqualTo(max - 1e-3f);
            logits = seq.append(t);
        }
    }

    @Test
    void batchedRequestsMatchRunningAlone() throws Exception {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < PROMPTS.length; i++) {
            requests.add(GenerationRequest.of(PROMPTS[i], 10 + 3 * i, SamplingParams.greedy()));
        }
        // Two slots for three requests: the third joins when the first leaves.
        try (Scheduler scheduler = engine.newScheduler(2)) {
            List<GenerationHandle> handles = new ArrayList<>();
            List<List<GenerationEvent>> events = new ArrayList<>();
            for (GenerationRequest r : requests) {
                List<GenerationEvent> log = Collections.synchronizedList(new ArrayList<>());
                events.add(log);
                handles.add(scheduler.submit(engine.newSequence(64), r, log::add));
            }
            for (int i = 0; i < requests.size(); i++) {
                GenerationResult batched = handles.get(i).result().get(60, TimeUnit.SECONDS);
                assertGreedyAlone(PROMPTS[i], batched.tokens(), 10 + 3 * i);
                StringBuilder streamed = new StringBuilder();
                for (GenerationEvent e : events.get(i)) {
                    streamed.append(switch (e) {
                        case GenerationEvent.Token t -> t.text();
                        case GenerationEvent.Finished f -> f.text();
                    });
                }
                assertThat(streamed.toString()).isEqualTo(batched.text());
                assertThat(batched.reason()).isEqualTo(FinishReason.LENGTH);
                assertThat(events.get(i)).hasSize(batched.tokens().length + 1)
                        .last().isInstanceOf(GenerationEvent.Finished.class);
            }
        }
    }

    @Test
    void cancellingStopsOneRequestAndAFailedOneDoesNotDisturbTheOthers() throws Exception {
        try (Scheduler scheduler = engine.newScheduler(4)) {
            // The scheduler may emit the first events before submit() has returned the handle: wait for it.
            CompletableFuture<GenerationHandle> self = new CompletableFuture<>();
            List<GenerationEvent> log = Collections.synchronizedList(new ArrayList<>());
            GenerationHandle cancelled = scheduler.submit(engine.newSequence(512),
                    GenerationRequest.of(PROMPTS[0], 400, SamplingParams.greedy()), e -> {
                        log.add(e);
                        if (log.size() == 3) {
                            self.join().cancel();
                        }
                    });
            self.complete(cancelled);
            int[] tooLong = new int[20];
            java.util.Arrays.fill(tooLong, 1);
            GenerationHandle failing = scheduler.submit(engine.newSequence(16),
                    GenerationRequest.of(tooLong, 4, SamplingParams.greedy()), e -> { });
            GenerationHandle fine = scheduler.submit(engine.newSequence(64),
                    GenerationRequest.of(PROMPTS[2], 5, SamplingParams.greedy()), e -> { });

            GenerationResult r = cancelled.result().get(60, TimeUnit.SECONDS);
            assertThat(r.reason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(r.tokens().length).isBetween(3, 4);
            assertThatThrownBy(() -> failing.result().get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(Sequence.ContextFullException.class);
            assertGreedyAlone(PROMPTS[2], fine.result().get(60, TimeUnit.SECONDS).tokens(), 5);
        }
    }

    @Test
    void anErrorInOneRequestFailsItAloneAndTheSchedulerGoesOn() throws Exception {
        // A constraint that overflows the stack on its second token, as a runaway grammar would.
        LogitsConstraint runaway = new LogitsConstraint() {
            int accepted;

            @Override
            public void allowedTokens(java.util.BitSet allowed) {
                allowed.set(0, allowed.size());
            }

            @Override
            public void accept(int tokenId) {
                if (++accepted == 2) {
                    throw new StackOverflowError("runaway constraint");
                }
            }

            @Override
            public boolean canEnd() {
                return false;
            }
        };
        try (Scheduler scheduler = engine.newScheduler(2)) {
            GenerationHandle broken = scheduler.submit(engine.newSequence(64),
                    GenerationRequest.of(PROMPTS[0], 8, SamplingParams.greedy()).withConstraint(runaway), e -> { });
            assertThatThrownBy(() -> broken.result().get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StackOverflowError.class);
            GenerationHandle after = scheduler.submit(engine.newSequence(64),
                    GenerationRequest.of(PROMPTS[1], 4, SamplingParams.greedy()), e -> { });
            assertGreedyAlone(PROMPTS[1], after.result().get(60, TimeUnit.SECONDS).tokens(), 4);
        }
    }

    @Test
    void aRequestSubmittedAfterCloseFailsInsteadOfWaiting() {
        Scheduler scheduler = engine.newScheduler(1);
        scheduler.close();
        assertThatThrownBy(() -> scheduler.submit(engine.newSequence(64),
                GenerationRequest.of(PROMPTS[0], 2, SamplingParams.greedy()), e -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aLongPromptIsProcessedInChunksWhileOthersDecode() throws Exception {
        int[] longPrompt = new int[3 * Scheduler.PREFILL_CHUNK + 7];
        for (int i = 0; i < longPrompt.length; i++) {
            longPrompt[i] = PROMPTS[i % 3][i % PROMPTS[i % 3].length];
        }
        try (Scheduler scheduler = engine.newScheduler(2)) {
            GenerationHandle shortOne = scheduler.submit(engine.newSequence(64),
                    GenerationRequest.of(PROMPTS[1], 12, SamplingParams.greedy()), e -> { });
            GenerationHandle longOne = scheduler.submit(engine.newSequence(256),
                    GenerationRequest.of(longPrompt, 6, SamplingParams.greedy()), e -> { });
            GenerationResult r = longOne.result().get(60, TimeUnit.SECONDS);
            assertThat(r.stats().promptTokens()).isEqualTo(longPrompt.length);
            Sequence seq = engine.newSequence(256);
            float[] logits = seq.append(longPrompt);
            for (int t : r.tokens()) {
                float max = Float.NEGATIVE_INFINITY;
                for (float l : logits) {
                    max = Math.max(max, l);
                }
                assertThat(logits[t]).isGreaterThanOrEqualTo(max - 1e-3f);
                logits = seq.append(t);
            }
            assertGreedyAlone(PROMPTS[1], shortOne.result().get(60, TimeUnit.SECONDS).tokens(), 12);
        }
    }

    @Test
    void aSequenceRunsOneRequestAtATime() throws Exception {
        try (Scheduler scheduler = engine.newScheduler(2)) {
            Sequence seq = engine.newSequence(64);
            GenerationHandle first = scheduler.submit(seq, GenerationRequest.of(PROMPTS[0], 30, SamplingParams.greedy()), e -> { });
            assertThatThrownBy(() -> scheduler.submit(seq, GenerationRequest.of(PROMPTS[1], 3, SamplingParams.greedy()), e -> { }))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already generating");
            first.result().get(60, TimeUnit.SECONDS);
            // Free again once finished.
            GenerationHandle second = scheduler.submit(seq, GenerationRequest.of(PROMPTS[1], 3, SamplingParams.greedy()), e -> { });
            assertThat(second.result().get(60, TimeUnit.SECONDS).tokens()).hasSize(3);
        }
    }
}
