package dev.llmplatform.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.encoder.BertEncoder;
import dev.llmplatform.engine.encoder.EncoderWorkspace;
import dev.llmplatform.engine.encoder.Pooling;
import dev.llmplatform.engine.encoder.SentenceEmbedder;
import dev.llmplatform.guardrails.Finding;
import dev.llmplatform.guardrails.EmbeddedText;
import dev.llmplatform.guardrails.EncoderTextEmbedder;
import dev.llmplatform.guardrails.TextEmbedder;
import dev.llmplatform.guardrails.injection.InjectionClassifier;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PII tagger's contextual head and the injection classifier read one encoder pass per window. */
class SharedEncoderPassTest {
    private static final String TEXT = "Hi team, Ingrid Solberg from Nordlys Shipping will visit our Bergen office on Monday. "
            + "Please send the draft to her assistant, Tomás Ruiz, who lives in Valencia.";
    private static SentenceEmbedder encoder;
    private static EncoderTextEmbedder embedder;

    @BeforeAll
    static void load() {
        encoder = SentenceEmbedder.loadDefault();
        embedder = new EncoderTextEmbedder(encoder);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void theShippedHeadReadsTheInjectionClassifiersDepth() {
        assertThat(ContextualTagHead.bundled().layers()).isEqualTo(InjectionClassifier.loadDefault().encoderLayers());
    }

    @Test
    void piiAndTheClassifiersVectorsCostOnePass() {
        Counting counting = new Counting(embedder);
        EmbeddedText text = new EmbeddedText(TEXT, counting);
        PiiDetector.withEncoder(encoder).detect(text);
        int layers = ContextualTagHead.bundled().layers();
        List<float[]> shared = text.vectors(new int[] {0}, layers);
        assertThat(counting.tokenPasses.get()).isEqualTo(1);
        assertThat(counting.vectorPasses.get()).isZero();
        // The vectors the classifier gets are the very ones it would have computed alone.
        List<float[]> alone = new EmbeddedText(TEXT, embedder).vectors(new int[] {0}, layers);
        assertThat(shared.getFirst()).isEqualTo(alone.getFirst());
    }

    @Test
    void tokenStatesFromTheWindowsMatchTheTaggersOwnEncoding() {
        PiiDetector detector = PiiDetector.withEncoder(encoder);
        for (String t : List.of(TEXT, "ask o'neil-smith about the invoice from acme bv in rotterdam", "Dear Mr. Okafor,\n\nyour card (4111 1111 1111 1111) ...")) {
            assertThat(detector.detect(new EmbeddedText(t, embedder))).isEqualTo(detector.detect(t));
        }
    }

    @Test
    void aTextOfSeveralWindowsGetsAStateForEveryToken() {
        String text = "Anna Berg met Tom Lee in Oslo and they talked about the weather there. ".repeat(30);
        List<int[]> tokens = TaggerTokens.of(text);
        EmbeddedText embedded = new EmbeddedText(text, embedder);
        assertThat(embedded.windows()).hasSizeGreaterThan(1);
        TokenVectors states = new EncoderTokenStates(encoder, 1).states(embedded, tokens);
        assertThat(java.util.Arrays.stream(states.arrays()).filter(java.util.Objects::isNull).count()).isZero();
        // the states are read where the encoder wrote them, not copied per token
        assertThat(java.util.Arrays.stream(states.arrays()).distinct().count()).isLessThanOrEqualTo(embedded.windows().size());
        embedded.close();
    }

    @Test
    void checksInARowOnOneWorkspaceGiveWhatFreshBuffersGive() {
        PiiDetector detector = PiiDetector.withEncoder(encoder);
        int layers = ContextualTagHead.bundled().layers();
        String several = "Anna Berg met Tom Lee in Oslo and they talked about the weather there. ".repeat(30);
        List<String> texts = List.of(TEXT, several, "ask o'neil-smith about the invoice from acme bv in rotterdam", TEXT);
        TextEmbedder copies = new FreshBuffers();
        for (String t : texts) {
            // Each check borrows the pooled workspace the previous one gave back (the pool holds idle ones) and
            // overwrites its buffers; the results must be those of an encoder pass into buffers of its own.
            List<Finding> pooledFindings;
            List<float[]> pooledVectors;
            try (EmbeddedText reused = new EmbeddedText(t, embedder)) {
                pooledFindings = detector.detect(reused);
                pooledVectors = reused.vectors(allWindows(reused), layers);
            }
            try (EmbeddedText fresh = new EmbeddedText(t, copies)) {
                assertThat(pooledFindings).isEqualTo(detector.detect(fresh));
                List<float[]> freshVectors = fresh.vectors(allWindows(fresh), layers);
                for (int w = 0; w < freshVectors.size(); w++) {
                    assertThat(pooledVectors.get(w)).isEqualTo(freshVectors.get(w));
                }
            }
        }
    }

    private static int[] allWindows(EmbeddedText text) {
        return java.util.stream.IntStream.range(0, text.windows().size()).toArray();
    }

    /** Token states and vectors from encoder passes into new arrays ({@code BertEncoder.encode} without a workspace): the reference. */
    private static final class FreshBuffers implements TextEmbedder {
        @Override
        public List<float[]> embed(List<String> texts) {
            return embed(texts, ALL_LAYERS);
        }

        @Override
        public List<float[]> embed(List<String> texts, int layers) {
            return encodeTokens(texts, layers, null).stream().map(SentenceEmbedder.TokenStates::pooled).toList();
        }

        @Override
        public List<SentenceEmbedder.TokenStates> encodeTokens(List<String> texts, int layers, EncoderWorkspace workspace) {
            int depth = layers == ALL_LAYERS ? encoder.layers() : layers;
            int[][] ids = texts.stream().map(encoder::tokenize).toArray(int[][]::new);
            BertEncoder.HiddenStates h = encoder.encoder().encode(ids, depth);
            int d = h.hiddenSize();
            List<SentenceEmbedder.TokenStates> out = new java.util.ArrayList<>();
            for (int s = 0; s < ids.length; s++) {
                float[] pooled = new float[d];
                encoder.pooling().pool(h, s, pooled);
                Pooling.normalize(pooled);
                out.add(new SentenceEmbedder.TokenStates(ids[s], h.values(), h.offsets()[s] * d, d, pooled));
            }
            return out;
        }

        @Override
        public boolean readsWhole(String text) {
            return embedder.readsWhole(text);
        }
    }

    /** Counts the passes an embedder makes. */
    private static final class Counting implements TextEmbedder {
        private final TextEmbedder inner;
        final AtomicInteger vectorPasses = new AtomicInteger();
        final AtomicInteger tokenPasses = new AtomicInteger();

        Counting(TextEmbedder inner) {
            this.inner = inner;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            vectorPasses.incrementAndGet();
            return inner.embed(texts);
        }

        @Override
        public List<float[]> embed(List<String> texts, int layers) {
            vectorPasses.incrementAndGet();
            return inner.embed(texts, layers);
        }

        @Override
        public List<SentenceEmbedder.TokenStates> encodeTokens(List<String> texts, int layers, EncoderWorkspace workspace) {
            tokenPasses.incrementAndGet();
            return inner.encodeTokens(texts, layers, workspace);
        }

        @Override
        public EncoderWorkspace acquireWorkspace() {
            return inner.acquireWorkspace();
        }

        @Override
        public boolean readsWhole(String text) {
            return inner.readsWhole(text);
        }
    }
}
