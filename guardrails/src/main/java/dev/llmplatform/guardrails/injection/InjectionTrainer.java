package dev.llmplatform.guardrails.injection;

import dev.llmplatform.guardrails.EmbeddedText;
import dev.llmplatform.guardrails.TextEmbedder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains the injection classifier and measures it honestly: k-fold cross-validation, where every row
 * is scored by a model that never saw it.
 */
public final class InjectionTrainer {
    /** L2 strength; the embeddings are unit vectors, so weights of a few tens need only light shrinkage. */
    public static final double L2 = 0.1;
    public static final int ITERATIONS = 30;
    public static final double THRESHOLD = 0.7;

    private final TextEmbedder embedder;
    private final double l2;

    public InjectionTrainer(TextEmbedder embedder) {
        this(embedder, L2);
    }

    public InjectionTrainer(TextEmbedder embedder, double l2) {
        this.embedder = embedder;
        this.l2 = l2;
    }

    /** Fits on all rows. */
    public InjectionClassifier train(List<LabeledText> rows, Map<String, Object> provenance) {
        List<float[]> x = embedder.embed(rows.stream().map(LabeledText::text).toList());
        boolean[] y = labels(rows);
        double[] beta = LogisticRegression.fit(x, y, l2, ITERATIONS);
        float[] w = new float[beta.length - 1];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) beta[i];
        }
        return new InjectionClassifier(w, (float) beta[w.length], THRESHOLD, provenance);
    }

    /**
     * Out-of-fold probabilities for {@code evaluated}: the rows are split into {@code k} folds (seeded
     * shuffle); each fold is scored by a model trained on the other folds plus all of {@code alwaysTrain}.
     * A row's probability is the highest over its encoder windows, as the detector scores it.
     */
    public double[] crossValidate(List<LabeledText> evaluated, List<LabeledText> alwaysTrain, int k, long seed) {
        if (k < 2 || k > evaluated.size()) {
            throw new IllegalArgumentException("folds must be in 2.." + evaluated.size() + ", got " + k);
        }
        List<float[]> trainX = embedder.embed(evaluated.stream().map(LabeledText::text).toList());
        List<float[]> extraX = alwaysTrain.isEmpty() ? List.of() : embedder.embed(alwaysTrain.stream().map(LabeledText::text).toList());
        List<List<float[]>> windowX = new ArrayList<>();
        for (LabeledText row : evaluated) {
            EmbeddedText t = new EmbeddedText(row.text(), embedder);
            windowX.add(t.windows().size() <= 1 ? List.of(trainX.get(windowX.size())) : t.vectors());
        }
        int[] fold = new int[evaluated.size()];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < fold.length; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(seed));
        for (int i = 0; i < order.size(); i++) {
            fold[order.get(i)] = i % k;
        }
        double[] p = new double[evaluated.size()];
        for (int f = 0; f < k; f++) {
            List<float[]> x = new ArrayList<>(extraX);
            List<Boolean> yl = new ArrayList<>();
            alwaysTrain.forEach(r -> yl.add(r.attack()));
            for (int i = 0; i < fold.length; i++) {
                if (fold[i] != f) {
                    x.add(trainX.get(i));
                    yl.add(evaluated.get(i).attack());
                }
            }
            boolean[] y = new boolean[yl.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = yl.get(i);
            }
            double[] beta = LogisticRegression.fit(x, y, l2, ITERATIONS);
            for (int i = 0; i < fold.length; i++) {
                if (fold[i] == f) {
                    double best = 0;
                    for (float[] v : windowX.get(i)) {
                        best = Math.max(best, LogisticRegression.probability(beta, v));
                    }
                    p[i] = best;
                }
            }
        }
        return p;
    }

    static boolean[] labels(List<LabeledText> rows) {
        boolean[] y = new boolean[rows.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = rows.get(i).attack();
        }
        return y;
    }

    public Map<String, Object> provenance(String data, int rows, int attacks, String command) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("data", data);
        p.put("rows", rows);
        p.put("attacks", attacks);
        p.put("l2", l2);
        p.put("command", command);
        return p;
    }
}
