package dev.llmplatform.rag.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Documents for store tests: chunk {@code i} of each gets the same 4-dimensional unit vector family. */
public final class ToyDocuments {
    private ToyDocuments() {
    }

    /** {@code v} scaled to unit length. */
    public static float[] unit(float... v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }

    /** A document {@code id} with one chunk per text, chunk {@code i} on page {@code i + 1}. */
    public static IndexedDocument doc(String id, Map<String, Object> meta, String... texts) {
        List<ChunkRecord> chunks = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            chunks.add(new ChunkRecord(i, texts[i], i * 100, i * 100 + texts[i].length(), i + 1, unit(1, i, 0.5f, 0.1f)));
        }
        return new IndexedDocument(id, "Title " + id, "src/" + id + ".txt", meta, chunks);
    }
}
