package dev.llmplatform.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.encoder.SentenceEmbedder;
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
        float[][] states = new EncoderTokenStates(encoder, 1).states(embedded, tokens);
        assertThat(java.util.Arrays.stream(states).filter(java.util.Objects::isNull).count()).isZero();
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
        public List<SentenceEmbedder.TokenStates> encodeTokens(List<String> texts, int layers) {
            tokenPasses.incrementAndGet();
            return inner.encodeTokens(texts, layers);
        }

        @Override
        public boolean readsWhole(String text) {
            return inner.readsWhole(text);
        }
    }
}
