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
 *
 * <p>With lexical features the model is a cascade, evaluated exactly as it is deployed: a lexical-only
 * {@link LexicalGate} is fitted beside the full model, its threshold set on the inner out-of-fold scores so
 * that {@link #GATE_ATTACK_RECALL} of the training attacks pass it; a window below the gate scores 0 (it is
 * never embedded), the others the full model's probability, and the decision threshold is chosen on those
 * cascade scores.
 */
public final class InjectionTrainer {
    /** L2 strengths tried by the inner cross-validation. */
    public static final List<Double> L2_CANDIDATES = List.of(0.001, 0.01, 0.1, 1.0);
    /** The false-positive rate the threshold is set for on inner out-of-fold scores; below the 3 % goal for margin. */
    public static final double TARGET_FALSE_POSITIVES = 0.02;
    public static final int INNER_FOLDS = 4;
    /**
     * Share of the (inner out-of-fold) training attacks the lexical gate must let through to the encoder; fixed
     * in advance, not tuned: lower saves more encoder passes and loses more attacks.
     */
    public static final double GATE_ATTACK_RECALL = 0.99;

    private final TextEmbedder embedder;
    private final int lexicalDims;
    private final List<Integer> layerCandidates;

    /**
     * A fitted model: coefficients, the chosen encoder depth, L2 and thresholds, and the inner-CV detection rate that
     * chose them.
     */
    record Fitted(double[] beta, double[] gateBeta, double gate, int layers, double l2, double threshold, double innerDetection) {
        LexicalGate lexicalGate() {
            return gateBeta == null ? null : LexicalGate.fromCoefficients(gateBeta, gate);
        }
    }

    /**
     * Out-of-fold results: per evaluated row its cascade probability (0 when no window passed the gate), the
     * threshold its fold's model chose, and whether any of its windows needed the encoder.
     */
    public record CrossValidation(double[] probability, double[] threshold, boolean[] encoded, List<String> folds) {
        public boolean flagged(int row) {
            return probability[row] >= threshold[row];
        }

        /** Share of the rows with {@code attack} label that needed the encoder. */
        public double encodedShare(List<LabeledText> rows, boolean attack) {
            int n = 0;
            int e = 0;
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).attack() == attack) {
                    n++;
                    e += encoded[i] ? 1 : 0;
                }
            }
            return n == 0 ? 0 : (double) e / n;
        }
    }

    public InjectionTrainer(TextEmbedder embedder) {
        this(embedder, LexicalFeatures.DEFAULT_DIMS, List.of(TextEmbedder.ALL_LAYERS));
    }

    /**
     * @param lexicalDims     0 trains on the encoder features alone (for comparison)
     * @param layerCandidates encoder depths whose pooled output may be the dense feature ({@link TextEmbedder#ALL_LAYERS}:
     *                        the sentence embedding); the inner cross-validation picks one, like the L2 strength, and
     *                        the deployed detector reads the same depth. On equal inner detection the earlier candidate
     *                        wins, so list the cheaper depths first.
     */
    public InjectionTrainer(TextEmbedder embedder, int lexicalDims, List<Integer> layerCandidates) {
        if (layerCandidates.isEmpty()) {
            throw new IllegalArgumentException("at least one encoder depth is needed");
        }
        this.embedder = embedder;
        this.lexicalDims = lexicalDims;
        this.layerCandidates = List.copyOf(layerCandidates);
    }

    /** Fits on all rows (plus {@code alwaysTrain}); L2 and threshold from an inner cross-validation over {@code rows}. */
    public InjectionClassifier train(List<LabeledText> rows, List<LabeledText> alwaysTrain, long seed, Map<String, Object> provenance) {
        Map<Integer, Data> byDepth = data(rows, alwaysTrain);
        int[] all = new int[rows.size()];
        Arrays.setAll(all, i -> i);
        Fitted f = select(byDepth, all, seed);
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        p.put("encoder_layers", f.layers());
        p.put("l2", f.l2());
        p.put("threshold_inner_cv_detection_rate", f.innerDetection());
        if (f.gateBeta() != null) {
            p.put("gate_attack_recall", GATE_ATTACK_RECALL);
            p.put("gate_threshold", f.gate());
        }
        return InjectionClassifier.fromCoefficients(f.beta(), byDepth.get(f.layers()).dense(), f.threshold(), f.lexicalGate(),
                f.layers(), p);
    }

    /**
     * Nested k-fold cross-validation over {@code evaluated} (seeded shuffle); {@code alwaysTrain} joins every
     * training split. A row's probability is the highest over its encoder windows, as the detector scores it.
     */
    public CrossValidation crossValidate(List<LabeledText> evaluated, List<LabeledText> alwaysTrain, int k, long seed) {
        if (k < 2 || k > evaluated.size()) {
            throw new IllegalArgumentException("folds must be in 2.." + evaluated.size() + ", got " + k);
        }
        Map<Integer, Data> byDepth = data(evaluated, alwaysTrain);
        int[] fold = folds(evaluated.size(), k, seed);
        double[] p = new double[evaluated.size()];
        double[] t = new double[evaluated.size()];
        boolean[] encoded = new boolean[evaluated.size()];
        List<String> notes = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int[] train = indices(fold, f, false);
            Fitted m = select(byDepth, train, seed + 1 + f);
            Data d = byDepth.get(m.layers());
            for (int i : indices(fold, f, true)) {
                p[i] = d.cascadeScore(m.beta(), m.gateBeta(), m.gate(), i);
                encoded[i] = d.gateScore(m.gateBeta(), i) >= m.gate();
                t[i] = m.threshold();
            }
            String depth = m.layers() == TextEmbedder.ALL_LAYERS ? "all encoder layers" : "encoder depth " + m.layers();
            notes.add("fold %d: %s, l2 %s, threshold %.3f%s".formatted(f + 1, depth, m.l2(), m.threshold(),
                    m.gateBeta() == null ? "" : ", gate %.3f".formatted(m.gate())));
        }
        return new CrossValidation(p, t, encoded, notes);
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

    /** The gate threshold that lets {@link #GATE_ATTACK_RECALL} of the attacks' gate scores through. */
    static double gateFor(double[] attackScores) {
        if (attackScores.length == 0) {
            return 0;
        }
        double[] s = attackScores.clone();
        Arrays.sort(s);
        int below = (int) Math.floor((1 - GATE_ATTACK_RECALL) * s.length);
        return Math.min(s[below], 1 - 1e-9);
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

    private Map<Integer, Data> data(List<LabeledText> rows, List<LabeledText> alwaysTrain) {
        Map<Integer, Data> byDepth = new LinkedHashMap<>();
        for (int layers : layerCandidates) {
            byDepth.put(layers, new Data(rows, alwaysTrain, layers));
        }
        return byDepth;
    }

    /** The depth, L2 and thresholds with the best inner cross-validated detection over {@code train}, fitted on all of it. */
    private Fitted select(Map<Integer, Data> byDepth, int[] train, long seed) {
        Fitted best = null;
        for (Data d : byDepth.values()) {
            Fitted f = d.select(train, seed);
            if (best == null || f.innerDetection() > best.innerDetection()) {
                best = f;
            }
        }
        return best;
    }

    /** Features computed once at one encoder depth: per row its whole-text vector (training) and its window vectors (scoring). */
    private final class Data {
        final List<LabeledText> rows;
        final List<FeatureVector> whole = new ArrayList<>();
        final List<List<FeatureVector>> windows = new ArrayList<>();
        final List<FeatureVector> extra = new ArrayList<>();
        final List<LabeledText> extraRows;
        final int encoderLayers;

        Data(List<LabeledText> rows, List<LabeledText> alwaysTrain, int encoderLayers) {
            this.rows = rows;
            this.encoderLayers = encoderLayers;
            this.extraRows = alwaysTrain;
            List<float[]> v = embedder.embed(rows.stream().map(LabeledText::text).toList(), encoderLayers);
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
                        w.add(LexicalFeatures.of(t.vectors(new int[] {j}, encoderLayers).getFirst(), text.substring(span[0], span[1]),
                                lexicalDims));
                    }
                    windows.add(w);
                }
            }
            if (!alwaysTrain.isEmpty()) {
                List<float[]> e = embedder.embed(alwaysTrain.stream().map(LabeledText::text).toList(), encoderLayers);
                for (int i = 0; i < alwaysTrain.size(); i++) {
                    extra.add(LexicalFeatures.of(e.get(i), alwaysTrain.get(i).text(), lexicalDims));
                }
            }
        }

        int dense() {
            return whole.getFirst().dense().length;
        }

        /** The row's score as the deployed detector computes it: the best full-model probability over the windows the gate passes. */
        double cascadeScore(double[] beta, double[] gateBeta, double gate, int row) {
            double best = 0;
            for (FeatureVector x : windows.get(row)) {
                if (gateBeta == null || LogisticRegression.probability(gateBeta, lexicalOnly(x)) >= gate) {
                    best = Math.max(best, LogisticRegression.probability(beta, x));
                }
            }
            return best;
        }

        /** The row's highest gate probability over its windows (1 without a gate: everything is embedded). */
        double gateScore(double[] gateBeta, int row) {
            if (gateBeta == null) {
                return 1;
            }
            double best = 0;
            for (FeatureVector x : windows.get(row)) {
                best = Math.max(best, LogisticRegression.probability(gateBeta, lexicalOnly(x)));
            }
            return best;
        }

        double[] fitGate(int[] train, double l2) {
            return lexicalDims == 0 ? null : fit(train, l2, true);
        }

        double[] fit(int[] train, double l2) {
            return fit(train, l2, false);
        }

        private double[] fit(int[] train, double l2, boolean lexical) {
            List<FeatureVector> x = new ArrayList<>(lexical ? extra.stream().map(Data::lexicalOnly).toList() : extra);
            boolean[] y = new boolean[extra.size() + train.length];
            for (int i = 0; i < extra.size(); i++) {
                y[i] = extraRows.get(i).attack();
            }
            for (int j = 0; j < train.length; j++) {
                x.add(lexical ? lexicalOnly(whole.get(train[j])) : whole.get(train[j]));
                y[extra.size() + j] = rows.get(train[j]).attack();
            }
            return LogisticRegression.fit(x, y, lexicalDims, l2);
        }

        /**
         * Inner cross-validation over {@code train}: the L2 with the best detection at the target false-positive rate,
         * with the gate threshold and the decision threshold read off the same out-of-fold scores.
         */
        Fitted select(int[] train, long seed) {
            int[] inner = folds(train.length, INNER_FOLDS, seed);
            Fitted best = null;
            for (double l2 : L2_CANDIDATES) {
                double[] gateScore = new double[train.length];
                double[][] windowFull = new double[train.length][];
                double[][] windowGate = new double[train.length][];
                for (int f = 0; f < INNER_FOLDS; f++) {
                    int[] innerTrain = sub(train, indices(inner, f, false));
                    double[] beta = fit(innerTrain, l2);
                    double[] gateBeta = fitGate(innerTrain, l2);
                    for (int j : indices(inner, f, true)) {
                        List<FeatureVector> ws = windows.get(train[j]);
                        windowFull[j] = new double[ws.size()];
                        windowGate[j] = new double[ws.size()];
                        for (int w = 0; w < ws.size(); w++) {
                            windowFull[j][w] = LogisticRegression.probability(beta, ws.get(w));
                            windowGate[j][w] = gateBeta == null ? 1 : LogisticRegression.probability(gateBeta, lexicalOnly(ws.get(w)));
                        }
                        gateScore[j] = Arrays.stream(windowGate[j]).max().orElse(0);
                    }
                }
                double gate = lexicalDims == 0 ? 0 : gateFor(java.util.stream.IntStream.range(0, train.length)
                        .filter(j -> rows.get(train[j]).attack()).mapToDouble(j -> gateScore[j]).toArray());
                double[] score = new double[train.length];
                for (int j = 0; j < train.length; j++) {
                    for (int w = 0; w < windowFull[j].length; w++) {
                        if (windowGate[j][w] >= gate) {
                            score[j] = Math.max(score[j], windowFull[j][w]);
                        }
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
                    best = new Fitted(null, null, gate, encoderLayers, l2, threshold, detection);
                }
            }
            return new Fitted(fit(train, best.l2()), fitGate(train, best.l2()), best.gate(), encoderLayers, best.l2(), best.threshold(),
                    best.innerDetection());
        }

        static FeatureVector lexicalOnly(FeatureVector x) {
            return x.dense().length == 0 ? x : new FeatureVector(new float[0], x.index(), x.value());
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
        p.put("encoder_layer_candidates", layerCandidates);
        p.put("l2_candidates", L2_CANDIDATES);
        p.put("target_false_positive_rate", TARGET_FALSE_POSITIVES);
        if (lexicalDims > 0) {
            p.put("gate_attack_recall", GATE_ATTACK_RECALL);
        }
        p.put("command", command);
        return p;
    }
}
