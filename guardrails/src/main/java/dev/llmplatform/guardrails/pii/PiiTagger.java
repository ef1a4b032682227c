package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Category;
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
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A statistical sequence tagger for the entity types rules reach poorly (persons, places, streets,
 * organisations, nationalities/religious/political groups, titles, phone numbers, ZIP codes, driver licences):
 * an averaged structured perceptron over BIO tags with first-order transition features ({@link TaggerFeatures}),
 * decoded by Viterbi. Trained by {@link PiiTaggerTrainer} on {@link SyntheticPiiCorpus}; the shipped
 * weights are {@code pii/pii-tagger.bin.gz}. Immutable and thread-safe.
 */
public final class PiiTagger {
    static final String RESOURCE = "pii-tagger.bin.gz";
    private static final String MAGIC = "llmp-pii-tagger/2";
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
    /** The rows, then one row of zeros: what a bucket without a row adds ({@link #shipped}). */
    private final float[] weights;
    private final TaggerFeatures features;
    private final TaggerFeatures.TransitionHashes transitionHashes;
    /**
     * [previous tag + 1]: the tags that may follow it in BIO order, ascending (index 0: the start of the text); and
     * the same where a line break comes between (only an address continues over one).
     */
    private final int[][] allowedAfter;
    private final int[][] allowedAfterLineBreak;

    PiiTagger(String[] tags, String provenance, int[] rowOf, float[] weights, TaggerLexicon lexicon) {
        this.tags = tags;
        this.provenance = provenance;
        this.rowOf = rowOf;
        this.weights = Arrays.copyOf(weights, weights.length + tags.length);
        this.features = new TaggerFeatures(lexicon);
        this.transitionHashes = new TaggerFeatures.TransitionHashes(tags);
        this.allowedAfter = new int[tags.length + 1][];
        this.allowedAfterLineBreak = new int[tags.length + 1][];
        for (int p = -1; p < tags.length; p++) {
            int previous = p;
            allowedAfter[p + 1] = IntStream.range(0, tags.length).filter(t -> allowed(previous, t)).toArray();
            allowedAfterLineBreak[p + 1] = IntStream.range(0, tags.length).filter(t -> allowed(previous, t) && continuesOverLines(t)).toArray();
        }
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
        return tag(text, tokens, rules, null);
    }

    /**
     * Entity spans over the given tokens ({@link TaggerTokens#of}); {@code bias} (null for none), per token and tag,
     * is added to the tagger's own scores before decoding (the contextual head's evidence).
     */
    List<Finding> tag(String text, List<int[]> tokens, List<Finding> rules, double[][] bias) {
        return spans(tokens, decode(features.extract(text, tokens, rules, null), shipped, bias));
    }

    /** The decoded tag (an index into {@link #tagName}) of each token. */
    int[] tagIndices(String text, List<int[]> tokens, List<Finding> rules) {
        return decode(features.extract(text, tokens, rules, null), shipped);
    }

    String[] tagNames() {
        return tags.clone();
    }

    int tagCount() {
        return tags.length;
    }

    String tagName(int t) {
        return tags[t];
    }

    /**
     * Viterbi decoding over first-order BIO tags: the best-scoring tag sequence in which I-X follows only B-X or
     * I-X (and only an address continues over a line break), each token scored by its static features plus the transition features of the tag before it (that tag
     * alone, with the word, with the shape).
     */
    int[] decode(TaggerFeatures.Tokens tokens, Weights weights) {
        return decode(tokens, weights, null);
    }

    /** As {@link #decode(TaggerFeatures.Tokens, Weights)}, with {@code bias[token][tag]} (null: none) added to each token's own scores. */
    int[] decode(TaggerFeatures.Tokens tokens, Weights weights, double[][] bias) {
        int n = tokens.count();
        int k = tags.length;
        if (n == 0) {
            return new int[0];
        }
        float[] table = weights.table();
        // The previous tag alone scores the same at every token.
        double[][] prior = new double[k + 1][k];
        for (int p = -1; p < k; p++) {
            addRow(table, weights.offset(transitionHashes.prior(p)), prior[p + 1]);
        }
        // Scores of the best paths ending in each tag at the token before and at this one; back[i * k + t] is the
        // tag before t on the best path ending in t at token i.
        double[] bestBefore = new double[k];
        double[] best = new double[k];
        int[] back = new int[n * k];
        double[] own = new double[k];
        int[] wordRows = new int[k + 1];
        int[] shapeRows = new int[k + 1];
        for (int i = 0; i < n; i++) {
            Arrays.fill(own, 0);
            for (int f = tokens.featuresFrom(i), to = tokens.featuresFrom(i + 1); f < to; f++) {
                addRow(table, weights.offset(tokens.feature(f)), own);
            }
            if (bias != null) {
                for (int t = 0; t < k; t++) {
                    own[t] += bias[i][t];
                }
            }
            String word = tokens.lower()[i];
            String shape = tokens.shapes()[i];
            int[][] allowed = tokens.afterLineBreak()[i] ? allowedAfterLineBreak : allowedAfter;
            int firstBefore = i == 0 ? -1 : 0;
            int endBefore = i == 0 ? 0 : k;
            // Where every previous tag's transition rows are, found before any is read: the lookups are independent
            // reads of a large table, and issued together their cache misses overlap instead of queueing one by one.
            for (int p = firstBefore; p < endBefore; p++) {
                wordRows[p + 1] = zerosIfNone(weights, weights.offset(transitionHashes.withWord(p, word)));
                shapeRows[p + 1] = zerosIfNone(weights, weights.offset(transitionHashes.withShape(p, shape)));
            }
            Arrays.fill(best, Double.NEGATIVE_INFINITY);
            for (int p = firstBefore; p < endBefore; p++) {
                double before = i == 0 ? 0 : bestBefore[p];
                if (before == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                double[] priorHere = prior[p + 1];
                int withWord = wordRows[p + 1];
                int withShape = shapeRows[p + 1];
                for (int t : allowed[p + 1]) {
                    // the transition's three parts added in this order, then the path before it and the token's own score
                    double transition = priorHere[t] + table[withWord + t] + table[withShape + t];
                    double v = before + transition + own[t];
                    if (v > best[t]) {
                        best[t] = v;
                        back[i * k + t] = p;
                    }
                }
            }
            double[] swap = bestBefore;
            bestBefore = best;
            best = swap;
        }
        // bestBefore now holds the last token's scores
        int[] out = new int[n];
        for (int t = 1; t < k; t++) {
            if (bestBefore[t] > bestBefore[out[n - 1]]) {
                out[n - 1] = t;
            }
        }
        for (int i = n - 1; i > 0; i--) {
            out[i - 1] = back[i * k + out[i]];
        }
        return out;
    }

    /** The tag name the transition features use before the first token. */
    static final String START = "<s>";

    /**
     * Where the weights of a hashed feature are: the shipped table (rows only for buckets a training feature
     * reached), or the trainer's live weights (a row for every bucket).
     */
    interface Weights {
        /** All rows, {@link #tagCount} floats each. */
        float[] table();

        /** Where the bucket's row begins in {@link #table}, or -1 when it has none (its weights are all zero). */
        int offset(int bucket);

        /** Where a row of zeros begins in {@link #table}. */
        int zeros();
    }

    /**
     * A row offset, or the table's row of zeros for none, so that the decoder's inner loop adds without a branch.
     * Adding +0.0 changes no score: a sum begun at +0.0 is never −0.0, and for every other value x, x + 0.0 == x.
     */
    private static int zerosIfNone(Weights weights, int offset) {
        return offset >= 0 ? offset : weights.zeros();
    }

    /** Adds the row at {@code offset} (none when negative) to per-tag scores. */
    private static void addRow(float[] table, int offset, double[] score) {
        if (offset >= 0) {
            for (int t = 0; t < score.length; t++) {
                score[t] += table[offset + t];
            }
        }
    }

    private final Weights shipped = new Weights() {
        @Override
        public float[] table() {
            return weights;
        }

        @Override
        public int zeros() {
            return weights.length - tags.length;
        }

        @Override
        public int offset(int bucket) {
            int row = rowOf[bucket];
            return row < 0 ? -1 : row * tags.length;
        }
    };

    /** A name, place or organisation ends at a line break ("Anna Berg\nHead of Sales"); a postal address goes on. */
    private boolean continuesOverLines(int t) {
        return !tags[t].startsWith("I-") || tags[t].equals("I-" + Category.STREET_ADDRESS);
    }

    /** I-X only after B-X or I-X; {@code previous} -1 before the first token. */
    boolean allowed(int previous, int t) {
        if (!tags[t].startsWith("I-")) {
            return true;
        }
        return previous >= 0 && tags[previous].length() > 2 && tags[previous].substring(2).equals(tags[t].substring(2));
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
            int rows = weights.length / tags.length - 1; // without the zero row
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
