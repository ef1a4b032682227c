package dev.llmplatform.guardrails.pii;

import dev.llmplatform.engine.encoder.SentenceEmbedder;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains {@link ContextualTagHead} on the same kind of generated sentences as the tagger ({@link SyntheticPiiCorpus}):
 * the encoder's state of every token's first word piece, labelled with the token's BIO tag. Deterministic for a
 * seed (the corpus, the order of the examples) and a given encoder.
 */
public final class ContextualHeadTrainer {
    public record Settings(int sentences, int epochs, long seed, int layers, double weight) {
        public Settings {
            if (sentences < 1 || epochs < 1) {
                throw new IllegalArgumentException("sentences and epochs must be at least 1");
            }
            if (layers < 1) {
                throw new IllegalArgumentException("layers must be at least 1");
            }
            if (!(weight > 0)) {
                throw new IllegalArgumentException("weight must be positive");
            }
        }
    }

    /** The trained head and its token accuracy on held-out generated sentences (another seed). */
    public record Result(ContextualTagHead head, int trainTokens, double heldOutTokenAccuracy) {
    }

    private final SentenceEmbedder encoder;

    public ContextualHeadTrainer(SentenceEmbedder encoder) {
        this.encoder = encoder;
    }

    public Result train(Settings settings) {
        if (settings.layers() > encoder.layers()) {
            throw new IllegalArgumentException("the encoder has " + encoder.layers() + " layers, not " + settings.layers());
        }
        String[] tags = PiiTaggerTrainer.tagNames();
        EncoderTokenStates states = new EncoderTokenStates(encoder, settings.layers());
        SyntheticPiiCorpus corpus = new SyntheticPiiCorpus();
        Labelled train = labelled(corpus.generate(settings.sentences(), settings.seed()), states, tags);
        ContextualTagHead head = ContextualTagHead.train(tags, settings.layers(), train.states, train.goldArray(), settings.epochs(),
                settings.seed(), settings.weight(), "softmax over " + encoder.name() + " token states after " + settings.layers()
                        + " blocks, " + settings.sentences() + " synthetic sentences, " + settings.epochs() + " epochs, seed " + settings.seed());
        Labelled held = labelled(corpus.generate(500, settings.seed() + 1), states, tags);
        int right = 0;
        for (int i = 0; i < held.states.size(); i++) {
            double[] p = head.logProbabilities(held.states.get(i));
            int best = 0;
            for (int t = 1; t < p.length; t++) {
                best = p[t] > p[best] ? t : best;
            }
            right += best == held.gold.get(i) ? 1 : 0;
        }
        return new Result(head, train.states.size(), held.states.isEmpty() ? 0 : (double) right / held.states.size());
    }

    public static void write(ContextualTagHead head, java.io.OutputStream out) throws java.io.IOException {
        head.write(out);
    }

    private record Labelled(List<float[]> states, List<Integer> gold) {
        int[] goldArray() {
            return gold.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private static Labelled labelled(List<SyntheticPiiCorpus.Sentence> sentences, EncoderTokenStates states, String[] tags) {
        List<String> texts = new ArrayList<>();
        List<List<int[]>> tokens = new ArrayList<>();
        for (SyntheticPiiCorpus.Sentence s : sentences) {
            texts.add(s.text());
            tokens.add(TaggerTokens.of(s.text()));
        }
        List<float[][]> vectors = states.states(texts, tokens);
        List<float[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (int s = 0; s < sentences.size(); s++) {
            int[] gold = PiiTaggerTrainer.goldTags(sentences.get(s), tokens.get(s), tags);
            for (int i = 0; i < gold.length; i++) {
                if (vectors.get(s)[i] != null) {
                    x.add(vectors.get(s)[i]);
                    y.add(gold[i]);
                }
            }
        }
        return new Labelled(x, y);
    }
}
