package dev.llmplatform.rag.store;

import dev.llmplatform.rag.store.lucene.LuceneCollectionStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The process {@link KillAndReopenTest} kills: writes documents one upsert at a time, forever, and prints
 * {@code ACK id chunks} after each upsert returns (the moment the store promises durability).
 */
public final class DurabilityChild {
    private DurabilityChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Random random = new Random(1);
        LuceneCollectionStore store = new LuceneCollectionStore(dir);
        if (store.describe("c").isEmpty()) {
            store.create("c", "toy", 8);
        }
        for (int i = 0; ; i++) {
            int chunks = 1 + i % 5;
            List<ChunkRecord> records = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                float[] v = new float[8];
                double n = 0;
                for (int d = 0; d < 8; d++) {
                    v[d] = (float) random.nextGaussian();
                    n += v[d] * v[d];
                }
                for (int d = 0; d < 8; d++) {
                    v[d] /= (float) Math.sqrt(n);
                }
                String text = "document " + i + " chunk " + c + " " + "filler ".repeat(50);
                records.add(new ChunkRecord(c, text, c * 400, c * 400 + text.length(), null, v));
            }
            String id = "doc-" + i;
            store.upsert("c", List.of(new IndexedDocument(id, "Doc " + i, "gen", Map.of("i", i), records)));
            System.out.println("ACK " + id + " " + chunks);
            System.out.flush();
        }
    }
}
