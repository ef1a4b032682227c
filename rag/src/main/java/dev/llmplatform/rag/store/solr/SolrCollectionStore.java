package dev.llmplatform.rag.store.solr;

import dev.llmplatform.rag.store.CollectionInfo;
import dev.llmplatform.rag.store.CollectionNotFoundException;
import dev.llmplatform.rag.store.CollectionStore;
import dev.llmplatform.rag.store.DocumentPage;
import dev.llmplatform.rag.store.DocumentSummary;
import dev.llmplatform.rag.store.IndexedDocument;
import dev.llmplatform.rag.store.MetadataFilter;
import dev.llmplatform.rag.store.ScoredChunk;
import dev.llmplatform.rag.store.lucene.LuceneCollectionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.client.solrj.request.CoreAdminRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.CoreAdminResponse;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.common.util.NamedList;

/**
 * Collections in a SolrCloud cluster: one Solr collection per platform collection ({@code numShards} ×
 * {@code replicationFactor} from {@link SolrSettings}), on our configset ({@link SolrConfigSet}, uploaded
 * when missing), one Solr document per chunk ({@link SolrChunkFields}) plus one record of the
 * collection's own (embedding model, dimension, creation time, and that it lives in Solr).
 *
 * <p>Dense search is Solr's {@code {!knn}} (HNSW, dot product) and lexical search BM25 over the same
 * English analysis as the embedded store, with collection-wide term statistics; metadata filters become
 * filter queries. Scores are reported as the embedded store reports them (cosine; BM25), and fusion stays
 * in the platform's retriever, so results of the two stores are comparable.
 *
 * <p>Upsert deletes the documents' old chunks, adds the new ones and hard-commits (flushed to disk, new
 * searchers open) before it returns. All of a document's chunks live on one shard (the collection routes
 * on {@code doc_id}), so that shard's commit makes a replacement visible at once. Every request is
 * retried on connection failures and 5xx answers ({@link SolrRetry}): writes are idempotent (fixed chunk
 * ids; delete by query), so a retry never duplicates.
 */
public final class SolrCollectionStore implements CollectionStore {
    static final String RECORD_ID = "_collection";
    /** Chunks per update request: a request stays a few MB even with 1024-dimensional vectors. */
    private static final int UPDATE_BATCH = 500;
    /** Query words beyond this are dropped (Solr's default limit on Boolean clauses is 1024). */
    private static final int MAX_QUERY_WORDS = 1000;

    private final SolrSettings settings;
    private final CloudSolrClient client;
    private final Http2SolrClient http;
    private final SolrRetry retry;
    /**
     * Dimensions of the collections seen, so searches and writes need no extra round trip; a collection
     * deleted through another node is noticed by Solr's answer ({@link #query}).
     */
    private final Map<String, Integer> dimensions = new ConcurrentHashMap<>();

    public SolrCollectionStore(SolrSettings settings) {
        this.settings = settings;
        this.http = new Http2SolrClient.Builder()
                .withConnectionTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
                .withRequestTimeout(120, java.util.concurrent.TimeUnit.SECONDS)
                .build();
        CloudHttp2SolrClient.Builder builder = settings.zkHosts().isEmpty()
                ? new CloudHttp2SolrClient.Builder(settings.urls())
                : zkBuilder(settings.zkHosts());
        this.client = builder.withHttpClient(http).build();
        this.retry = new SolrRetry(10, 200);
    }

    private static CloudHttp2SolrClient.Builder zkBuilder(String zkHosts) {
        int slash = zkHosts.indexOf('/');
        String hosts = slash < 0 ? zkHosts : zkHosts.substring(0, slash);
        Optional<String> chroot = slash < 0 ? Optional.empty() : Optional.of(zkHosts.substring(slash));
        return new CloudHttp2SolrClient.Builder(List.of(hosts.split(",")), chroot);
    }

    public SolrSettings settings() {
        return settings;
    }

    @Override
    public synchronized CollectionInfo create(String name, String embeddingModel, int dimension) {
        LuceneCollectionStore.checkName(name);
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        if (solrCollections().contains(name)) {
            throw new IllegalArgumentException("collection '" + name + "' already exists");
        }
        String configSet = ensureConfigSet(dimension);
        retry.run("create collection '" + name + "'", () -> CollectionAdminRequest
                .createCollection(name, configSet, settings.shards(), settings.replicas())
                .setRouterName("compositeId")
                .setRouterField(SolrChunkFields.DOC_ID)
                .process(client));
        SolrInputDocument record = new SolrInputDocument();
        record.addField(SolrChunkFields.ID, RECORD_ID);
        record.addField(SolrChunkFields.DOC_ID, RECORD_ID); // routing needs one; chunk queries exclude it
        record.addField("embedding_model", embeddingModel);
        record.addField("dimension", dimension);
        record.addField("created_at", Instant.now().toString());
        record.addField("store", "solr");
        retry.run("record collection '" + name + "'", () -> new UpdateRequest().add(record)
                .setAction(UpdateRequest.ACTION.COMMIT, true, true).process(client, name));
        return describe(name).orElseThrow();
    }

    private String ensureConfigSet(int dimension) {
        String name = SolrConfigSet.name(dimension);
        List<String> existing = retry.call("list configsets",
                () -> new ConfigSetAdminRequest.List().process(client).getConfigSets());
        if (!existing.contains(name)) {
            retry.run("upload configset " + name, () -> {
                Path zip = Files.createTempFile("llmp-configset-", ".zip");
                try {
                    Files.write(zip, SolrConfigSet.zip(dimension));
                    return new ConfigSetAdminRequest.Upload().setConfigSetName(name).setOverwrite(true)
                            .setUploadFile(zip.toFile(), "application/zip").process(client);
                } finally {
                    Files.deleteIfExists(zip);
                }
            });
        }
        return name;
    }

    @Override
    public List<CollectionInfo> list() {
        List<CollectionInfo> out = new ArrayList<>();
        for (String name : solrCollections().stream().sorted().toList()) {
            try {
                describe(name).ifPresent(out::add);
            } catch (RuntimeException e) {
                // a collection of the cluster that is not one of ours (other schema): not listed
            }
        }
        return out;
    }

    @Override
    public Optional<CollectionInfo> describe(String name) {
        if (!solrCollections().contains(name)) {
            return Optional.empty();
        }
        SolrDocumentList record = query(name, new SolrQuery(SolrChunkFields.ID + ":" + RECORD_ID)
                .setFields("embedding_model", "dimension", "created_at").setRows(1)).getResults();
        if (record.isEmpty()) {
            return Optional.empty();
        }
        SolrDocument r = record.getFirst();
        long documents = count(name, SolrChunkFields.FIRST_CHUNKS);
        long chunks = count(name, SolrChunkFields.ALL_CHUNKS);
        return Optional.of(new CollectionInfo(name, (String) r.getFirstValue("embedding_model"),
                ((Number) r.getFirstValue("dimension")).intValue(), documents, chunks, indexBytes(name),
                Instant.parse((String) r.getFirstValue("created_at"))));
    }

    @Override
    public synchronized boolean delete(String name) {
        if (describe(name).isEmpty()) {
            return false;
        }
        dimensions.remove(name);
        retry.run("delete collection '" + name + "'",
                () -> CollectionAdminRequest.deleteCollection(name).process(client));
        return true;
    }

    @Override
    public void upsert(String collection, List<IndexedDocument> documents) {
        int dimension = dimension(collection);
        for (IndexedDocument doc : documents) {
            doc.chunks().forEach(c -> {
                if (c.vector().length != dimension) {
                    throw new IllegalArgumentException("document '" + doc.id() + "' has a " + c.vector().length
                            + "-dimensional vector; this collection holds " + dimension + " dimensions");
                }
            });
        }
        if (documents.isEmpty()) {
            return;
        }
        UpdateRequest deletes = new UpdateRequest();
        documents.forEach(d -> deletes.deleteByQuery(SolrChunkFields.documentChunks(d.id())));
        retry.run("delete old chunks", () -> deletes.process(client, collection));
        List<SolrInputDocument> batch = new ArrayList<>(UPDATE_BATCH);
        for (IndexedDocument doc : documents) {
            for (SolrInputDocument chunk : SolrChunkFields.toSolr(doc)) {
                batch.add(chunk);
                if (batch.size() == UPDATE_BATCH) {
                    add(collection, batch);
                    batch = new ArrayList<>(UPDATE_BATCH);
                }
            }
        }
        if (!batch.isEmpty()) {
            add(collection, batch);
        }
        commit(collection);
    }

    private void add(String collection, List<SolrInputDocument> chunks) {
        retry.run("add " + chunks.size() + " chunks", () -> new UpdateRequest().add(chunks).process(client, collection));
    }

    private void commit(String collection) {
        // hard commit: segments fsync'd, then new searchers opened on every replica before the answer
        retry.run("commit", () -> new UpdateRequest().setAction(UpdateRequest.ACTION.COMMIT, true, true)
                .process(client, collection));
    }

    @Override
    public boolean deleteDocument(String collection, String documentId) {
        requireCollection(collection);
        if (count(collection, SolrChunkFields.documentChunks(documentId)) == 0) {
            return false;
        }
        retry.run("delete document", () -> new UpdateRequest()
                .deleteByQuery(SolrChunkFields.documentChunks(documentId)).process(client, collection));
        commit(collection);
        return true;
    }

    @Override
    public DocumentPage listDocuments(String collection, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
        requireCollection(collection);
        SolrQuery q = new SolrQuery(SolrChunkFields.FIRST_CHUNKS)
                .setFields(SolrChunkFields.DOC_ID, SolrChunkFields.TITLE, SolrChunkFields.SOURCE,
                        SolrChunkFields.CHUNK_COUNT, SolrChunkFields.META_JSON)
                .addSort(SolrChunkFields.DOC_ID, SolrQuery.ORDER.asc)
                .setStart(offset).setRows(limit);
        SolrDocumentList results = query(collection, q).getResults();
        List<DocumentSummary> docs = new ArrayList<>(results.size());
        for (SolrDocument d : results) {
            docs.add(new DocumentSummary((String) d.getFirstValue(SolrChunkFields.DOC_ID),
                    (String) d.getFirstValue(SolrChunkFields.TITLE), (String) d.getFirstValue(SolrChunkFields.SOURCE),
                    SolrChunkFields.intValue(d, SolrChunkFields.CHUNK_COUNT), SolrChunkFields.metadata(d)));
        }
        return new DocumentPage(docs, results.getNumFound(), offset, limit);
    }

    @Override
    public List<ScoredChunk> denseSearch(String collection, float[] vector, int k, MetadataFilter filter) {
        int dimension = dimension(collection);
        if (vector.length != dimension) {
            throw new IllegalArgumentException("query vector has " + vector.length + " dimensions; the collection "
                    + dimension);
        }
        StringBuilder q = new StringBuilder("{!knn f=").append(SolrChunkFields.VECTOR).append(" topK=").append(k).append("}[");
        for (int i = 0; i < vector.length; i++) {
            q.append(i == 0 ? "" : ",").append(vector[i]);
        }
        SolrQuery query = new SolrQuery(q.append(']').toString());
        // Lucene scores a dot product as (1 + dot) / 2; report the cosine itself, as the embedded store does
        return search(collection, query, k, filter, s -> 2 * s - 1);
    }

    @Override
    public List<ScoredChunk> lexicalSearch(String collection, String text, int k, MetadataFilter filter) {
        requireCollection(collection);
        String words = lexicalQuery(text);
        if (words.isEmpty()) {
            return List.of();
        }
        SolrQuery query = new SolrQuery(words);
        query.set("defType", "lucene");
        query.set("df", SolrChunkFields.BODY);
        query.set("q.op", "OR");
        query.set("sow", true);
        return search(collection, query, k, filter, s -> s);
    }

    /**
     * The free text as Solr standard query syntax that means "any of these words": every word escaped, so
     * nothing the user typed is read as an operator, field or phrase. The field's analyzer then does what
     * the embedded store does to the text (English analysis; every term a SHOULD clause).
     */
    static String lexicalQuery(String text) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (String word : text.trim().split("\\s+")) {
            if (word.isEmpty() || n++ == MAX_QUERY_WORDS) {
                continue;
            }
            if (word.equals("AND") || word.equals("OR") || word.equals("NOT")) {
                word = word.toLowerCase(Locale.ROOT); // the analyzer lower-cases anyway; these are operators
            }
            out.append(out.isEmpty() ? "" : " ").append(SolrFilters.escape(word));
        }
        return out.toString();
    }

    private List<ScoredChunk> search(String collection, SolrQuery query, int k, MetadataFilter filter,
                                     DoubleUnaryOperator score) {
        query.setRows(k).setFields(SolrChunkFields.CHUNK_FIELDS + ",score");
        query.addFilterQuery(SolrChunkFields.ALL_CHUNKS);
        if (filter != null) {
            query.addFilterQuery(SolrFilters.toQuery(filter));
        }
        SolrDocumentList results = query(collection, query).getResults();
        List<ScoredChunk> hits = new ArrayList<>(results.size());
        for (SolrDocument d : results) {
            float s = ((Number) d.getFirstValue("score")).floatValue();
            hits.add(new ScoredChunk(SolrChunkFields.fromSolr(d), (float) score.applyAsDouble(s)));
        }
        return hits;
    }

    private QueryResponse query(String collection, SolrQuery query) {
        try {
            return retry.call("query " + collection, () -> client.query(collection, query, SolrRequest.METHOD.POST));
        } catch (IllegalArgumentException e) {
            // a 4xx: a bad query, or the collection is gone (the client's cached cluster state may still
            // list it, and then the node answers 404); the cluster's own list tells which
            if (!solrCollections().contains(collection)) {
                dimensions.remove(collection);
                throw new CollectionNotFoundException(collection);
            }
            throw e;
        }
    }

    private long count(String collection, String q) {
        return query(collection, new SolrQuery(q).setRows(0)).getResults().getNumFound();
    }

    private int dimension(String collection) {
        Integer known = dimensions.get(collection);
        if (known != null) {
            return known;
        }
        int dimension = describe(collection).orElseThrow(() -> new CollectionNotFoundException(collection)).dimension();
        dimensions.put(collection, dimension);
        return dimension;
    }

    private void requireCollection(String collection) {
        dimension(collection);
    }

    private List<String> solrCollections() {
        return retry.call("list collections", () -> CollectionAdminRequest.listCollections(client));
    }

    /** The index size of one copy of the data: each shard leader's core, as its node reports it. */
    private long indexBytes(String collection) {
        long total = 0;
        try {
            DocCollection c = client.getClusterState().getCollection(collection);
            for (Slice slice : c.getSlices()) {
                Replica leader = slice.getLeader();
                if (leader == null) {
                    continue;
                }
                CoreAdminResponse status = new CoreAdminRequest() {
                    {
                        setAction(org.apache.solr.common.params.CoreAdminParams.CoreAdminAction.STATUS);
                        setCoreName(leader.getCoreName());
                        setBasePath(leader.getBaseUrl());
                    }
                }.process(http);
                NamedList<Object> core = status.getCoreStatus(leader.getCoreName());
                Object size = core == null ? null : core.findRecursive("index", "sizeInBytes");
                if (size instanceof Number n) {
                    total += n.longValue();
                }
            }
        } catch (IOException | SolrServerException | RuntimeException e) {
            return total; // a size is informative only; a node being down must not fail describe()
        }
        return total;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // nothing is buffered client-side: every write was committed before it returned
        } finally {
            http.close();
        }
    }
}
