package dev.llmplatform.guardrails.injection;

import dev.llmplatform.guardrails.EmbeddedText;
import dev.llmplatform.guardrails.TextEmbedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains the injection classifier and measures it honestly. The L2 strength and the decision threshold
 * are chosen by an inner cross-validation on the training rows only (the threshold that keeps the inner
 * out-of-fold false-positive rate at {@link #TARGET_FALSE_POSITIVES}); {@link #crossValidate} wraps that
 * whole procedure in an outer k-fold loop, so every evaluated row is scored by a model, L2 and threshold
 * that never saw it (nested cross-validation).
 */
public final class InjectionTrainer {
    /** L2 strengths tried by the inner cross-validation. */
    public static final List<Double> L2_CANDIDATES = List.of(0.01, 0.1, 1.0);
    /** The false-positive rate the threshold is set for on inner out-of-fold scores; below the 3 % goal for margin. */
    public static final double TARGET_FALSE_POSITIVES = 0.02;
    public static final int INNER_FOLDS = 4;

    private final TextEmbedder embedder;
    private final int lexicalDims;

    /** A fitted model: coefficients, the chosen L2 and threshold, and the inner-CV detection rate that chose them. */
    record Fitted(double[] beta, double l2, double threshold, double innerDetection) {
    }

    /** Out-of-fold results: per evaluated row its probability and the threshold its fold's model chose. */
    public record CrossValidation(double[] probability, double[] threshold, List<String> folds) {
        public boolean flagged(int row) {
            return probability[row] >= threshold[row];
        }
    }

    public InjectionTrainer(TextEmbedder embedder) {
        this(embedder, LexicalFeatures.DEFAULT_DIMS);
    }

    /** {@code lexicalDims} 0 trains on the sentence embedding alone (for comparison). */
    public InjectionTrainer(TextEmbedder embedder, int lexicalDims) {
        this.embedder = embedder;
        this.lexicalDims = lexicalDims;
    }

    /** Fits on all rows (plus {@code alwaysTrain}); L2 and threshold from an inner cross-validation over {@code rows}. */
    public InjectionClassifier train(List<LabeledText> rows, List<LabeledText> alwaysTrain, long seed, Map<String, Object> provenance) {
        Data d = new Data(rows, alwaysTrain);
        int[] all = new int[rows.size()];
        Arrays.setAll(all, i -> i);
        Fitted f = d.select(all, seed);
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        p.put("l2", f.l2());
        p.put("threshold_inner_cv_detection_rate", f.innerDetection());
        return InjectionClassifier.fromCoefficients(f.beta(), d.dense(), f.threshold(), p);
    }

    /**
     * Nested k-fold cross-validation over {@code evaluated} (seeded shuffle); {@code alwaysTrain} joins every
     * training split. A row's probability is the highest over its encoder windows, as the detector scores it.
     */
    public CrossValidation crossValidate(List<LabeledText> evaluated, List<LabeledText> alwaysTrain, int k, long seed) {
        if (k < 2 || k > evaluated.size()) {
            throw new IllegalArgumentException("folds must be in 2.." + evaluated.size() + ", got " + k);
        }
        Data d = new Data(evaluated, alwaysTrain);
        int[] fold = folds(evaluated.size(), k, seed);
        double[] p = new double[evaluated.size()];
        double[] t = new double[evaluated.size()];
        List<String> notes = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int[] train = indices(fold, f, false);
            Fitted m = d.select(train, seed + 1 + f);
            for (int i : indices(fold, f, true)) {
                p[i] = d.windowScore(m.beta(), i);
                t[i] = m.threshold();
            }
            notes.add("fold %d: l2 %s, threshold %.3f".formatted(f + 1, m.l2(), m.threshold()));
        }
        return new CrossValidation(p, t, notes);
    }

    /** The threshold that flags at most {@code rate} of the benign scores. */
    static double thresholdFor(double[] benignScores, double rate) {
        double[] s = benignScores.clone();
        Arrays.sort(s);
        int allowed = (int) Math.floor(rate * s.length);
        if (allowed >= s.length) {
            return 1e-6;
        }
        double t = Math.nextUp(s[s.length - 1 - allowed]);
        return Math.min(Math.max(t, 1e-6), 1 - 1e-9);
    }

    static int[] folds(int n, int k, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[order.get(i)] = i % k;
        }
        return fold;
    }

    private static int[] indices(int[] fold, int f, boolean in) {
        return java.util.stream.IntStream.range(0, fold.length).filter(i -> (fold[i] == f) == in).toArray();
    }

    /** Features computed once: per row its whole-text vector (training) and its window vectors (scoring). */
    private final class Data {
        final List<LabeledText> rows;
        final List<FeatureVector> whole = new ArrayList<>();
        final List<List<FeatureVector>> windows = new ArrayList<>();
        final List<FeatureVector> extra = new ArrayList<>();
        final List<LabeledText> extraRows;

        Data(List<LabeledText> rows, List<LabeledText> alwaysTrain) {
            this.rows = rows;
            this.extraRows = alwaysTrain;
            List<float[]> v = embedder.embed(rows.stream().map(LabeledText::text).toList());
            for (int i = 0; i < rows.size(); i++) {
                String text = rows.get(i).text();
                FeatureVector x = LexicalFeatures.of(v.get(i), text, lexicalDims);
                whole.add(x);
                EmbeddedText t = new EmbeddedText(text, embedder);
                if (t.windows().size() <= 1) {
                    windows.add(List.of(x));
                } else {
                    List<FeatureVector> w = new ArrayList<>();
                    for (int j = 0; j < t.windows().size(); j++) {
                        int[] span = t.windows().get(j);
                        w.add(LexicalFeatures.of(t.vectors().get(j), text.substring(span[0], span[1]), lexicalDims));
                    }
                    windows.add(w);
                }
            }
            if (!alwaysTrain.isEmpty()) {
                List<float[]> e = embedder.embed(alwaysTrain.stream().map(LabeledText::text).toList());
                for (int i = 0; i < alwaysTrain.size(); i++) {
                    extra.add(LexicalFeatures.of(e.get(i), alwaysTrain.get(i).text(), lexicalDims));
                }
            }
        }

        int dense() {
            return whole.getFirst().dense().length;
        }

        double windowScore(double[] beta, int row) {
            double best = 0;
            for (FeatureVector x : windows.get(row)) {
                best = Math.max(best, LogisticRegression.probability(beta, x));
            }
            return best;
        }

        double[] fit(int[] train, double l2) {
            List<FeatureVector> x = new ArrayList<>(extra);
            boolean[] y = new boolean[extra.size() + train.length];
            for (int i = 0; i < extra.size(); i++) {
                y[i] = extraRows.get(i).attack();
            }
            for (int j = 0; j < train.length; j++) {
                x.add(whole.get(train[j]));
                y[extra.size() + j] = rows.get(train[j]).attack();
            }
            return LogisticRegression.fit(x, y, lexicalDims, l2);
        }

        /** Inner cross-validation over {@code train}: the L2 with the best detection at the target false-positive rate. */
        Fitted select(int[] train, long seed) {
            int[] inner = folds(train.length, INNER_FOLDS, seed);
            Fitted best = null;
            for (double l2 : L2_CANDIDATES) {
                double[] score = new double[train.length];
                for (int f = 0; f < INNER_FOLDS; f++) {
                    int[] innerTrain = sub(train, indices(inner, f, false));
                    double[] beta = fit(innerTrain, l2);
                    for (int j : indices(inner, f, true)) {
                        score[j] = windowScore(beta, train[j]);
                    }
                }
                double[] benign = java.util.stream.IntStream.range(0, train.length)
                        .filter(j -> !rows.get(train[j]).attack()).mapToDouble(j -> score[j]).toArray();
                double threshold = thresholdFor(benign, TARGET_FALSE_POSITIVES);
                long attacks = Arrays.stream(train).filter(i -> rows.get(i).attack()).count();
                long caught = java.util.stream.IntStream.range(0, train.length)
                        .filter(j -> rows.get(train[j]).attack() && score[j] >= threshold).count();
                double detection = attacks == 0 ? 0 : (double) caught / attacks;
                if (best == null || detection > best.innerDetection()) {
                    best = new Fitted(null, l2, threshold, detection);
                }
            }
            return new Fitted(fit(train, best.l2()), best.l2(), best.threshold(), best.innerDetection());
        }

        private static int[] sub(int[] of, int[] positions) {
            int[] out = new int[positions.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = of[positions[i]];
            }
            return out;
        }
    }

    public Map<String, Object> provenance(String data, int rows, int attacks, String command) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("data", data);
        p.put("rows", rows);
        p.put("attacks", attacks);
        p.put("lexical_dims", lexicalDims);
        p.put("l2_candidates", L2_CANDIDATES);
        p.put("target_false_positive_rate", TARGET_FALSE_POSITIVES);
        p.put("command", command);
        return p;
    }
}
