package dev.llmplatform.rag.store.lucene;

import dev.llmplatform.rag.store.ChunkRecord;
import dev.llmplatform.rag.store.IndexedDocument;
import dev.llmplatform.rag.store.StoredChunk;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a chunk is laid out as a Lucene document. One Lucene document per chunk:
 * <ul>
 *   <li>{@code doc_id} (exact, stored; the unit of atomic replacement) and {@code head} on a document's
 *       first chunk, which also stores the document's chunk count (listing and counting documents);</li>
 *   <li>{@code body}: title and chunk text, English-analysed (stemming, stop words) for BM25;</li>
 *   <li>{@code vector}: the embedding, HNSW-indexed with dot product (= cosine on unit vectors), and a
 *       stored copy for MMR;</li>
 *   <li>{@code m.KEY} (exact terms) and {@code n.KEY} (numeric points) for every metadata value, including
 *       {@code document_id}, {@code title}, {@code source} and {@code page}, so filters treat all alike.</li>
 * </ul>
 */
final class ChunkFields {
    static final String DOC_ID = "doc_id";
    static final String DOC_ID_SORT = "doc_id_sort";
    static final String HEAD = "head";
    static final String BODY = "body";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    static final String VECTOR_STORED = "vector_stored";
    static final String META_JSON = "meta_json";
    static final String CHUNK_INDEX = "chunk_index";
    static final String CHUNK_COUNT = "chunk_count";
    static final String START = "start";
    static final String END = "end";
    static final String PAGE = "page";
    static final String TITLE = "title";
    static final String SOURCE = "source";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ChunkFields() {
    }

    static String exact(String key) {
        return "m." + key;
    }

    static String numeric(String key) {
        return "n." + key;
    }

    static List<Document> toLucene(IndexedDocument doc) {
        List<Document> out = new ArrayList<>(doc.chunks().size());
        String metaJson = JSON.writeValueAsString(doc.metadata());
        for (ChunkRecord c : doc.chunks()) {
            Document d = new Document();
            d.add(new StringField(DOC_ID, doc.id(), Field.Store.YES));
            if (c.chunkIndex() == 0) {
                d.add(new StringField(HEAD, "1", Field.Store.NO));
                d.add(new SortedDocValuesField(DOC_ID_SORT, new BytesRef(doc.id())));
                d.add(new StoredField(CHUNK_COUNT, doc.chunks().size()));
            }
            d.add(new TextField(BODY, doc.title().isEmpty() ? c.text() : doc.title() + "\n\n" + c.text(), Field.Store.NO));
            d.add(new StoredField(TEXT, c.text()));
            d.add(new KnnFloatVectorField(VECTOR, c.vector(), VectorSimilarityFunction.DOT_PRODUCT));
            d.add(new StoredField(VECTOR_STORED, new BytesRef(toBytes(c.vector()))));
            d.add(new StoredField(CHUNK_INDEX, c.chunkIndex()));
            d.add(new StoredField(START, c.start()));
            d.add(new StoredField(END, c.end()));
            d.add(new StoredField(TITLE, doc.title()));
            d.add(new StoredField(SOURCE, doc.source()));
            d.add(new StoredField(META_JSON, metaJson));
            Map<String, Object> filterable = new LinkedHashMap<>(doc.metadata());
            filterable.put("document_id", doc.id());
            filterable.put("title", doc.title());
            filterable.put("source", doc.source());
            if (c.page() != null) {
                d.add(new StoredField(PAGE, c.page()));
                filterable.put("page", c.page());
            }
            for (Map.Entry<String, Object> e : filterable.entrySet()) {
                addFilterable(d, e.getKey(), e.getValue());
            }
            out.add(d);
        }
        return out;
    }

    private static void addFilterable(Document d, String key, Object value) {
        if (value instanceof List<?> list) {
            for (Object item : list) {
                addFilterable(d, key, item);
            }
        } else if (value instanceof Number n) {
            d.add(new DoublePoint(numeric(key), n.doubleValue()));
            d.add(new StringField(exact(key), canonical(n), Field.Store.NO));
        } else if (value != null) {
            d.add(new StringField(exact(key), String.valueOf(value), Field.Store.NO));
        }
    }

    /** Numbers as exact terms: integral values without a fraction, so 3 and 3.0 match alike. */
    static String canonical(Number n) {
        double v = n.doubleValue();
        return v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    static StoredChunk fromLucene(Document d) {
        IndexableField page = d.getField(PAGE);
        BytesRef vec = d.getBinaryValue(VECTOR_STORED);
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = JSON.readValue(d.get(META_JSON), Map.class);
        return new StoredChunk(d.get(DOC_ID), d.getField(CHUNK_INDEX).numericValue().intValue(), d.get(TEXT),
                d.getField(START).numericValue().intValue(), d.getField(END).numericValue().intValue(),
                page == null ? null : page.numericValue().intValue(), d.get(TITLE), d.get(SOURCE), meta,
                vec == null ? null : fromBytes(vec));
    }

    static byte[] toBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static float[] fromBytes(BytesRef ref) {
        float[] v = new float[ref.length / 4];
        ByteBuffer.wrap(ref.bytes, ref.offset, ref.length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
