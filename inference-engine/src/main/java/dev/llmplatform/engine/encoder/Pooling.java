package dev.llmplatform.engine.encoder;

/** How a sequence's token vectors become one sentence vector. */
public enum Pooling {
    /** The mean over the sequence's real tokens (sentence-transformers' default, all-MiniLM-L6-v2). */
    MEAN,
    /** The first token's ([CLS]) vector. */
    CLS;

    /** llama.cpp's {@code *.pooling_type}: 1 mean, 2 cls; others unsupported for sentence embeddings. */
    public static Pooling fromGgufCode(long code) {
        return switch ((int) code) {
            case 1 -> MEAN;
            case 2 -> CLS;
            default -> throw new IllegalArgumentException("pooling type " + code + " is not supported (1 mean, 2 cls)");
        };
    }

    public int ggufCode() {
        return this == MEAN ? 1 : 2;
    }

    /** Pools sequence {@code s} of {@code states} into {@code out} (length hiddenSize). */
    public void pool(BertEncoder.HiddenStates states, int s, float[] out) {
        int h = states.hiddenSize();
        float[] v = states.values();
        int first = states.offsets()[s];
        if (this == CLS) {
            System.arraycopy(v, first * h, out, 0, h);
            return;
        }
        int len = states.length(s);
        java.util.Arrays.fill(out, 0f);
        for (int t = 0; t < len; t++) {
            int row = (first + t) * h;
            for (int i = 0; i < h; i++) {
                out[i] += v[row + i];
            }
        }
        for (int i = 0; i < h; i++) {
            out[i] /= len;
        }
    }

    /** Scales {@code v} to unit Euclidean length (a zero vector stays zero). */
    public static void normalize(float[] v) {
        double sq = 0;
        for (float x : v) {
            sq += (double) x * x;
        }
        if (sq > 0) {
            float inv = (float) (1.0 / Math.sqrt(sq));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
    }
}
