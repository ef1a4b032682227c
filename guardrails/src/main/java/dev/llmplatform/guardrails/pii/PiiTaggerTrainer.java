package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Trains {@link PiiTagger}: an averaged structured perceptron (Collins 2002, Viterbi-decoded) over the synthetic sentences of
 * {@link SyntheticPiiCorpus}, with the rules of {@link PiiDetector} run over each sentence for their findings as
 * features. For a quarter of the entities the word-list and rule features of their tokens are withheld, so the
 * weights also learn the contexts ("works at ...", "Dear ...") that find names absent from every list.
 * Deterministic for a seed: the corpus, the withheld entities and the shuffling all derive from it.
 */
public final class PiiTaggerTrainer {
    /** The entity types the tagger learns; the others are left to the rules. */
    public static final List<String> TYPES = List.of(Category.PERSON, Category.TITLE, Category.STREET_ADDRESS, Category.GPE,
            Category.ORGANIZATION, Category.NRP, Category.PHONE_NUMBER, Category.ZIP_CODE, Category.US_DRIVER_LICENSE);
    private static final double HIDE_PROBABILITY = 0.25;

    public record Settings(int sentences, int epochs, long seed) {
        public Settings {
            if (sentences < 1 || epochs < 1) {
                throw new IllegalArgumentException("sentences and epochs must be at least 1");
            }
        }
    }

    /** The trained tagger and how well it fits a held-out synthetic set generated with another seed. */
    public record Result(PiiTagger tagger, int trainTokens, double heldOutTokenAccuracy) {
    }

    private final TaggerLexicon lexicon;
    private final PiiDetector rules;

    public PiiTaggerTrainer() {
        this.lexicon = TaggerLexicon.get();
        this.rules = PiiDetector.rulesOnly();
    }

    public Result train(Settings settings) {
        String[] tags = tagNames();
        SyntheticPiiCorpus corpus = new SyntheticPiiCorpus();
        Random random = new Random(settings.seed());
        List<Example> examples = new ArrayList<>();
        TaggerFeatures features = new TaggerFeatures(lexicon);
        int tokens = 0;
        for (SyntheticPiiCorpus.Sentence s : corpus.generate(settings.sentences(), settings.seed())) {
            Example e = example(s, tags, features, random);
            tokens += e.gold().length;
            examples.add(e);
        }
        Perceptron p = new Perceptron(tags.length);
        // A decoder over the live weights; its own weight table is unused while learning.
        PiiTagger decoder = new PiiTagger(tags, "", new int[0], new float[0], lexicon);
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            Collections.shuffle(examples, random);
            for (Example e : examples) {
                p.learn(e, decoder.decode(e.tokens, p), tags);
            }
        }
        PiiTagger tagger = p.averaged(tags, lexicon, "averaged structured perceptron (Viterbi), " + settings.sentences() + " synthetic sentences ("
                + corpus.templateCount() + " templates), " + settings.epochs() + " epochs, seed " + settings.seed());
        return new Result(tagger, tokens, heldOutAccuracy(tagger, corpus, tags, settings.seed() + 1));
    }

    public static void write(PiiTagger tagger, OutputStream out) throws IOException {
        tagger.write(out);
    }

    private double heldOutAccuracy(PiiTagger tagger, SyntheticPiiCorpus corpus, String[] tags, long seed) {
        int right = 0;
        int all = 0;
        for (SyntheticPiiCorpus.Sentence s : corpus.generate(500, seed)) {
            List<int[]> tokens = TaggerTokens.of(s.text());
            int[] gold = goldTags(s, tokens, tags);
            List<Finding> found = tagger.tag(s.text(), rules.ruleFindings(s.text()));
            int[] predicted = goldTags(new SyntheticPiiCorpus.Sentence(s.text(), found), tokens, tags);
            for (int i = 0; i < gold.length; i++) {
                right += gold[i] == predicted[i] ? 1 : 0;
                all++;
            }
        }
        return all == 0 ? 0 : (double) right / all;
    }

    private record Example(TaggerFeatures.Tokens tokens, int[] gold) {
    }

    private Example example(SyntheticPiiCorpus.Sentence s, String[] tags, TaggerFeatures features, Random random) {
        List<int[]> tokens = TaggerTokens.of(s.text());
        int[] gold = goldTags(s, tokens, tags);
        boolean[] hidden = new boolean[tokens.size()];
        for (Finding span : s.spans()) {
            if (random.nextDouble() < HIDE_PROBABILITY) {
                for (int i = 0; i < tokens.size(); i++) {
                    hidden[i] |= tokens.get(i)[0] < span.end() && span.start() < tokens.get(i)[1];
                }
            }
        }
        return new Example(features.extract(s.text(), tokens, rules.ruleFindings(s.text()), hidden), gold);
    }

    static String[] tagNames() {
        List<String> tags = new ArrayList<>(List.of("O"));
        for (String t : TYPES) {
            tags.add("B-" + t);
            tags.add("I-" + t);
        }
        return tags.toArray(String[]::new);
    }

    /** BIO tag index per token: B- on the first token a span overlaps, I- on the rest, O elsewhere. */
    static int[] goldTags(SyntheticPiiCorpus.Sentence s, List<int[]> tokens, String[] tags) {
        List<String> names = Arrays.asList(tags);
        int[] gold = new int[tokens.size()];
        for (Finding span : s.spans()) {
            int b = names.indexOf("B-" + span.category());
            if (b < 0) {
                continue;
            }
            boolean first = true;
            for (int i = 0; i < tokens.size(); i++) {
                int[] t = tokens.get(i);
                if (t[0] < span.end() && span.start() < t[1]) {
                    gold[i] = first ? b : b + 1;
                    first = false;
                }
            }
        }
        return gold;
    }

    /** Weights with the averaging trick: w − (Σ c·Δ)/c, where c counts the sentences seen. */
    private static final class Perceptron implements PiiTagger.Weights {
        private final int k;
        private final float[] w;
        private final float[] stamped;
        private long c = 1;

        Perceptron(int k) {
            this.k = k;
            this.w = new float[TaggerFeatures.BUCKETS * k + k]; // the last row: zeros for the decoder
            this.stamped = new float[TaggerFeatures.BUCKETS * k];
        }

        @Override
        public float[] table() {
            return w;
        }

        @Override
        public int offset(int bucket) {
            return bucket * k;
        }

        @Override
        public int zeros() {
            return TaggerFeatures.BUCKETS * k;
        }

        /**
         * The structured perceptron's update (Collins 2002): where the decoded sequence differs from the gold one,
         * the features of the gold tags (with the gold previous tag) gain and those of the decoded tags (with the
         * decoded previous tag) lose. One tick of the averaging clock per sentence.
         */
        void learn(Example e, int[] predicted, String[] tags) {
            int[] gold = e.gold();
            for (int i = 0; i < gold.length; i++) {
                int goldBefore = i == 0 ? -1 : gold[i - 1];
                int predictedBefore = i == 0 ? -1 : predicted[i - 1];
                if (gold[i] == predicted[i] && goldBefore == predictedBefore) {
                    continue;
                }
                if (gold[i] != predicted[i]) {
                    update(e.tokens().featuresOf(i), gold[i], 1);
                    update(e.tokens().featuresOf(i), predicted[i], -1);
                }
                String word = e.tokens().lower()[i];
                String shape = e.tokens().shapes()[i];
                update(TaggerFeatures.transitions(goldBefore < 0 ? PiiTagger.START : tags[goldBefore], word, shape), gold[i], 1);
                update(TaggerFeatures.transitions(predictedBefore < 0 ? PiiTagger.START : tags[predictedBefore], word, shape), predicted[i], -1);
            }
            c++;
        }

        private void update(int[] features, int tag, int delta) {
            for (int b : features) {
                w[b * k + tag] += delta;
                stamped[b * k + tag] += delta * c;
            }
        }

        PiiTagger averaged(String[] tags, TaggerLexicon lexicon, String provenance) {
            int[] rowOf = new int[TaggerFeatures.BUCKETS];
            Arrays.fill(rowOf, -1);
            List<float[]> rows = new ArrayList<>();
            for (int b = 0; b < TaggerFeatures.BUCKETS; b++) {
                float[] row = new float[k];
                boolean any = false;
                for (int t = 0; t < k; t++) {
                    float v = (float) (w[b * k + t] - stamped[b * k + t] / c);
                    // Averaged weights this small change no decision; dropping them keeps the resource small.
                    row[t] = Math.abs(v) < 1e-3f ? 0 : v;
                    any |= row[t] != 0;
                }
                if (any) {
                    rowOf[b] = rows.size();
                    rows.add(row);
                }
            }
            float[] weights = new float[rows.size() * k];
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, weights, r * k, k);
            }
            return new PiiTagger(tags, provenance, rowOf, weights, lexicon);
        }
    }
}
