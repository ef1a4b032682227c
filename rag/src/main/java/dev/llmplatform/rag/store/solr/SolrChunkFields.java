package dev.llmplatform.rag.store.solr;

import dev.llmplatform.rag.store.ChunkRecord;
import dev.llmplatform.rag.store.IndexedDocument;
import dev.llmplatform.rag.store.StoredChunk;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a chunk is laid out as a Solr document (the configset's managed-schema.xml): the same fields as
 * the embedded store's, with the chunk's id {@code DOCUMENT_ID/CHUNK_INDEX}.
 */
final class SolrChunkFields {
    static final String ID = "id";
    static final String DOC_ID = "doc_id";
    static final String CHUNK_INDEX = "chunk_index";
    static final String CHUNK_COUNT = "chunk_count";
    static final String BODY = "body";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    static final String META_JSON = "meta_json";
    static final String START = "start";
    static final String END = "end";
    static final String PAGE = "page";
    static final String TITLE = "title";
    static final String SOURCE = "source";
    /** Fields a search returns. */
    static final String CHUNK_FIELDS = String.join(",", DOC_ID, CHUNK_INDEX, TEXT, START, END, PAGE, TITLE, SOURCE,
            META_JSON, VECTOR);
    /** Every chunk has a chunk_index; the collection's own record has none. */
    static final String ALL_CHUNKS = CHUNK_INDEX + ":[* TO *]";
    static final String FIRST_CHUNKS = CHUNK_INDEX + ":0";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private SolrChunkFields() {
    }

    static String exact(String key) {
        return "m." + key;
    }

    static String numeric(String key) {
        return "n." + key;
    }

    static String chunkId(String documentId, int chunkIndex) {
        return documentId + "/" + chunkIndex;
    }

    /** The query for one document's chunks (never the collection's record). */
    static String documentChunks(String documentId) {
        return "+" + DOC_ID + ":" + SolrFilters.escape(documentId) + " +" + ALL_CHUNKS;
    }

    static List<SolrInputDocument> toSolr(IndexedDocument doc) {
        List<SolrInputDocument> out = new ArrayList<>(doc.chunks().size());
        String metaJson = JSON.writeValueAsString(doc.metadata());
        for (ChunkRecord c : doc.chunks()) {
            SolrInputDocument d = new SolrInputDocument();
            d.addField(ID, chunkId(doc.id(), c.chunkIndex()));
            d.addField(DOC_ID, doc.id());
            d.addField(CHUNK_INDEX, c.chunkIndex());
            if (c.chunkIndex() == 0) {
                d.addField(CHUNK_COUNT, doc.chunks().size());
            }
            d.addField(BODY, doc.title().isEmpty() ? c.text() : doc.title() + "\n\n" + c.text());
            d.addField(TEXT, c.text());
            List<Float> vector = new ArrayList<>(c.vector().length);
            for (float x : c.vector()) {
                vector.add(x);
            }
            d.addField(VECTOR, vector);
            d.addField(START, c.start());
            d.addField(END, c.end());
            d.addField(TITLE, doc.title());
            d.addField(SOURCE, doc.source());
            d.addField(META_JSON, metaJson);
            Map<String, Object> filterable = new LinkedHashMap<>(doc.metadata());
            filterable.put("document_id", doc.id());
            filterable.put("title", doc.title());
            filterable.put("source", doc.source());
            if (c.page() != null) {
                d.addField(PAGE, c.page());
                filterable.put("page", c.page());
            }
            filterable.forEach((k, v) -> addFilterable(d, k, v));
            out.add(d);
        }
        return out;
    }

    private static void addFilterable(SolrInputDocument d, String key, Object value) {
        if (value instanceof List<?> list) {
            list.forEach(item -> addFilterable(d, key, item));
        } else if (value instanceof Number n) {
            d.addField(numeric(key), n.doubleValue());
            d.addField(exact(key), canonical(n));
        } else if (value != null) {
            d.addField(exact(key), String.valueOf(value));
        }
    }

    /** Numbers as exact terms: integral values without a fraction, so 3 and 3.0 match alike. */
    private static String canonical(Number n) {
        double v = n.doubleValue();
        return v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    static StoredChunk fromSolr(SolrDocument d) {
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = JSON.readValue((String) d.getFirstValue(META_JSON), Map.class);
        Object page = d.getFirstValue(PAGE);
        return new StoredChunk((String) d.getFirstValue(DOC_ID), intValue(d, CHUNK_INDEX), (String) d.getFirstValue(TEXT),
                intValue(d, START), intValue(d, END), page == null ? null : ((Number) page).intValue(),
                (String) d.getFirstValue(TITLE), (String) d.getFirstValue(SOURCE), meta, vector(d.getFieldValues(VECTOR)));
    }

    static int intValue(SolrDocument d, String field) {
        return ((Number) d.getFirstValue(field)).intValue();
    }

    private static float[] vector(Collection<Object> values) {
        if (values == null) {
            return null;
        }
        float[] v = new float[values.size()];
        int i = 0;
        for (Object o : values) {
            v[i++] = ((Number) o).floatValue();
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metadata(SolrDocument d) {
        return JSON.readValue((String) d.getFirstValue(META_JSON), Map.class);
    }
}
