package dev.llmplatform.engine.runtime;

/**
 * One filter of the sampler chain, narrowing or reshaping the {@link Candidates} before the draw.
 * Stages run in llama.cpp's order: top-k, top-p, min-p, then temperature, so the nucleus and the
 * min-p threshold are taken from the untempered distribution.
 */
public sealed interface SamplerStage {

    void apply(Candidates c);

    /** Keeps the k most likely tokens. */
    record TopK(int k) implements SamplerStage {
        @Override
        public void apply(Candidates c) {
            c.keepTop(k);
        }
    }

    /** Keeps the smallest most-likely set whose probability reaches {@code p} (the nucleus). */
    record TopP(float p) implements SamplerStage {
        @Override
        public void apply(Candidates c) {
            c.sortDescending();
            float max = c.size > 0 ? c.logits[0] : 0;
            double total = 0;
            for (int i = 0; i < c.size; i++) {
                total += Math.exp(c.logits[i] - max);
            }
            double cumulative = 0;
            for (int i = 0; i < c.size; i++) {
                cumulative += Math.exp(c.logits[i] - max) / total;
                if (cumulative >= p) {
                    c.truncate(i + 1);
                    return;
                }
            }
        }
    }

    /** Drops tokens whose probability is below {@code p} times that of the most likely token. */
    record MinP(float p) implements SamplerStage {
        @Override
        public void apply(Candidates c) {
            float threshold = (float) (c.maxLogit() + Math.log(p));
            int n = 0;
            for (int i = 0; i < c.size; i++) {
                if (c.logits[i] >= threshold) {
                    c.ids[n] = c.ids[i];
                    c.logits[n] = c.logits[i];
                    n++;
                }
            }
            c.size = n;
        }
    }

    /** Divides logits by the temperature. */
    record Temperature(float t) implements SamplerStage {
        @Override
        public void apply(Candidates c) {
            for (int i = 0; i < c.size; i++) {
                c.logits[i] /= t;
            }
        }
    }
}
