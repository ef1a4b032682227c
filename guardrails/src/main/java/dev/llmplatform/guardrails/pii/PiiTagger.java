package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Finding;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A statistical sequence tagger for the entity types rules reach poorly (persons, places, streets,
 * organisations, nationalities/religious/political groups, titles, phone numbers, ZIP codes, driver licences):
 * an averaged perceptron over BIO tags, decoded greedily left to right with the two previous tags as features
 * ({@link TaggerFeatures}). Trained by {@link PiiTaggerTrainer} on {@link SyntheticPiiCorpus}; the shipped
 * weights are {@code pii/pii-tagger.bin.gz}. Immutable and thread-safe.
 */
public final class PiiTagger {
    static final String RESOURCE = "pii-tagger.bin.gz";
    private static final String MAGIC = "llmp-pii-tagger/1";
    /**
     * Score of a tagged span: the policies' usual threshold (0.7), the lowest a rule reports. The tagger learnt
     * from generated sentences only, so where a rule with its own evidence (checksum, pattern, context words,
     * list) found something, the rule decides; the tagger fills the gaps between the rules' findings.
     */
    static final double SCORE = 0.7;

    private final String[] tags;
    private final String provenance;
    /** Bucket → row in {@link #weights}, or -1 for a bucket no training feature reached. */
    private final int[] rowOf;
    private final float[] weights;
    private final TaggerFeatures features;

    PiiTagger(String[] tags, String provenance, int[] rowOf, float[] weights, TaggerLexicon lexicon) {
        this.tags = tags;
        this.provenance = provenance;
        this.rowOf = rowOf;
        this.weights = weights;
        this.features = new TaggerFeatures(lexicon);
    }

    /** The tagger shipped with the guardrails. */
    public static PiiTagger bundled() {
        try (InputStream in = PiiTagger.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("pii/" + RESOURCE + " is missing from the class path (train it: llmp train-pii-tagger)");
            }
            return read(in, TaggerLexicon.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String provenance() {
        return provenance;
    }

    /** Entity spans in the text; {@code rules} are the rule findings over the same text (features, not output). */
    public List<Finding> tag(String text, List<Finding> rules) {
        List<int[]> tokens = TaggerTokens.of(text);
        int[] tagged = decode(features.extract(text, tokens, rules, null), null);
        return spans(tokens, tagged);
    }

    int tagCount() {
        return tags.length;
    }

    String tagName(int t) {
        return tags[t];
    }

    /**
     * Greedy decoding; with {@code learn} set, a perceptron update at every wrong token (training).
     */
    int[] decode(TaggerFeatures.Tokens tokens, Learner learn) {
        int[][] staticFeatures = tokens.features();
        int n = staticFeatures.length;
        int[] out = new int[n];
        double[] score = new double[tags.length];
        for (int i = 0; i < n; i++) {
            int[] trans = TaggerFeatures.transitions(i > 0 ? tags[out[i - 1]] : "<s>", i > 1 ? tags[out[i - 2]] : "<s>",
                    tokens.lower()[i], tokens.shapes()[i]);
            Arrays.fill(score, 0);
            if (learn != null) {
                learn.score(staticFeatures[i], score);
                learn.score(trans, score);
            } else {
                add(staticFeatures[i], score);
                add(trans, score);
            }
            int best = best(score, i > 0 ? out[i - 1] : 0);
            if (learn != null && best != learn.gold(i)) {
                learn.update(staticFeatures[i], learn.gold(i), best);
                learn.update(trans, learn.gold(i), best);
            }
            if (learn != null) {
                // Teacher forcing: the next token sees the gold history. Training on the predicted history instead
                // was tried: recall +1 point, precision -9 points on the evaluation set (docs/guardrails.md).
                out[i] = learn.gold(i);
                learn.advance();
            } else {
                out[i] = best;
            }
        }
        return out;
    }

    /** Hooks for training: the trainer's live weights and the gold tags. */
    interface Learner {
        void score(int[] features, double[] score);

        void update(int[] features, int gold, int predicted);

        int gold(int token);

        /** One token done (the averaging clock). */
        void advance();
    }

    private void add(int[] features, double[] score) {
        int k = tags.length;
        for (int b : features) {
            int row = rowOf[b];
            if (row >= 0) {
                int base = row * k;
                for (int t = 0; t < k; t++) {
                    score[t] += weights[base + t];
                }
            }
        }
    }

    /** The best tag that may follow {@code previous}: I-X only after B-X or I-X. */
    private int best(double[] score, int previous) {
        int best = 0;
        for (int t = 1; t < tags.length; t++) {
            if (score[t] > score[best] && allowed(previous, t)) {
                best = t;
            }
        }
        return best;
    }

    private boolean allowed(int previous, int t) {
        if (!tags[t].startsWith("I-")) {
            return true;
        }
        return tags[previous].length() > 2 && tags[previous].substring(2).equals(tags[t].substring(2));
    }

    private List<Finding> spans(List<int[]> tokens, int[] tagged) {
        List<Finding> out = new ArrayList<>();
        int i = 0;
        while (i < tagged.length) {
            String tag = tags[tagged[i]];
            if (tag.equals("O")) {
                i++;
                continue;
            }
            String type = tag.substring(2);
            int start = tokens.get(i)[0];
            int end = tokens.get(i)[1];
            i++;
            while (i < tagged.length && tags[tagged[i]].equals("I-" + type)) {
                end = tokens.get(i)[1];
                i++;
            }
            out.add(new Finding(type, start, end, SCORE, "pii:tagger"));
        }
        return out;
    }

    void write(OutputStream raw) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw))) {
            out.writeUTF(MAGIC);
            out.writeUTF(provenance);
            out.writeInt(tags.length);
            for (String t : tags) {
                out.writeUTF(t);
            }
            int rows = weights.length / tags.length;
            out.writeInt(rows);
            for (int b = 0; b < rowOf.length; b++) {
                if (rowOf[b] >= 0) {
                    out.writeInt(b);
                    for (int t = 0; t < tags.length; t++) {
                        out.writeFloat(weights[rowOf[b] * tags.length + t]);
                    }
                }
            }
        }
    }

    static PiiTagger read(InputStream raw, TaggerLexicon lexicon) throws IOException {
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw));
        if (!MAGIC.equals(in.readUTF())) {
            throw new IOException("not a PII tagger model (expected " + MAGIC + ")");
        }
        String provenance = in.readUTF();
        String[] tags = new String[in.readInt()];
        for (int t = 0; t < tags.length; t++) {
            tags[t] = in.readUTF();
        }
        int rows = in.readInt();
        int[] rowOf = new int[TaggerFeatures.BUCKETS];
        Arrays.fill(rowOf, -1);
        float[] weights = new float[rows * tags.length];
        for (int r = 0; r < rows; r++) {
            rowOf[in.readInt()] = r;
            for (int t = 0; t < tags.length; t++) {
                weights[r * tags.length + t] = in.readFloat();
            }
        }
        return new PiiTagger(tags, provenance, rowOf, weights, lexicon);
    }
}
