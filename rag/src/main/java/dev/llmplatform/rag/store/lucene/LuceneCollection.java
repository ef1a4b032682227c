package dev.llmplatform.rag.store.lucene;

import dev.llmplatform.rag.store.DocumentPage;
import dev.llmplatform.rag.store.DocumentSummary;
import dev.llmplatform.rag.store.IndexedDocument;
import dev.llmplatform.rag.store.MetadataFilter;
import dev.llmplatform.rag.store.ScoredChunk;
import dev.llmplatform.rag.store.StoredChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * One collection's Lucene index: the single {@link IndexWriter} and a {@link SearcherManager} that hands
 * many concurrent readers a near-real-time view. Every write ends with a commit (fsync of the new segment
 * files, then an atomic switch of the commit point), so a crash reopens at the last acknowledged write.
 */
final class LuceneCollection implements AutoCloseable {
    /** Lucene's default limit on clauses; long pasted queries keep their first terms. */
    private static final int MAX_QUERY_TERMS = 1000;

    private final Directory directory;
    private final Path path;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Analyzer analyzer;
    private final int dimension;
    private final Object writeLock = new Object();

    LuceneCollection(Path path, int dimension) throws IOException {
        this.path = path;
        this.dimension = dimension;
        this.analyzer = Analyzers.english();
        this.directory = FSDirectory.open(path);
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(64)
                .setCommitOnClose(true);
        IndexWriter w;
        try {
            w = new IndexWriter(directory, config);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
        this.writer = w;
        if (!org.apache.lucene.index.DirectoryReader.indexExists(directory)) {
            writer.commit(); // an empty commit, so readers can open a brand-new collection
        }
        this.searchers = new SearcherManager(writer, null);
    }

    void upsert(List<IndexedDocument> documents) throws IOException {
        for (IndexedDocument doc : documents) {
            doc.chunks().forEach(c -> {
                if (c.vector().length != dimension) {
                    throw new IllegalArgumentException("document '" + doc.id() + "' has a " + c.vector().length
                            + "-dimensional vector; this collection holds " + dimension + " dimensions");
                }
            });
        }
        synchronized (writeLock) {
            for (IndexedDocument doc : documents) {
                writer.updateDocuments(new Term(ChunkFields.DOC_ID, doc.id()), ChunkFields.toLucene(doc));
            }
            writer.commit();
        }
        searchers.maybeRefreshBlocking();
    }

    boolean delete(String documentId) throws IOException {
        boolean existed;
        synchronized (writeLock) {
            existed = count(new TermQuery(new Term(ChunkFields.DOC_ID, documentId))) > 0;
            if (existed) {
                writer.deleteDocuments(new Term(ChunkFields.DOC_ID, documentId));
                writer.commit();
            }
        }
        searchers.maybeRefreshBlocking();
        return existed;
    }

    List<ScoredChunk> dense(float[] vector, int k, MetadataFilter filter) throws IOException {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("query vector has " + vector.length + " dimensions; the collection "
                    + dimension);
        }
        Query query = new KnnFloatVectorQuery(ChunkFields.VECTOR, vector, k,
                filter == null ? null : LuceneFilters.toQuery(filter));
        // Lucene scores dot products as (1 + dot) / 2; report the cosine itself
        return search(query, k, s -> 2 * s - 1);
    }

    List<ScoredChunk> lexical(String text, int k, MetadataFilter filter) throws IOException {
        BooleanQuery.Builder terms = new BooleanQuery.Builder();
        int n = 0;
        for (String term : analyze(text)) {
            if (n++ == MAX_QUERY_TERMS) {
                break;
            }
            terms.add(new TermQuery(new Term(ChunkFields.BODY, term)), Occur.SHOULD);
        }
        if (n == 0) {
            return List.of();
        }
        Query query = terms.build();
        if (filter != null) {
            query = new BooleanQuery.Builder().add(query, Occur.MUST)
                    .add(LuceneFilters.toQuery(filter), Occur.FILTER).build();
        }
        return search(query, k, s -> s);
    }

    /** The query's analysed terms in order (repeats kept: a repeated word weighs more, as in BM25 queries). */
    private List<String> analyze(String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(ChunkFields.BODY, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        }
        return out;
    }

    private List<ScoredChunk> search(Query query, int k, java.util.function.DoubleUnaryOperator score) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            TopDocs top = searcher.search(query, k);
            var stored = searcher.storedFields();
            List<ScoredChunk> hits = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc sd : top.scoreDocs) {
                StoredChunk chunk = ChunkFields.fromLucene(stored.document(sd.doc));
                hits.add(new ScoredChunk(chunk, (float) score.applyAsDouble(sd.score)));
            }
            return hits;
        } finally {
            searchers.release(searcher);
        }
    }

    DocumentPage list(int offset, int limit) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            Query heads = new TermQuery(new Term(ChunkFields.HEAD, "1"));
            int total = searcher.count(heads);
            List<DocumentSummary> docs = new ArrayList<>();
            if (offset < total && limit > 0) {
                TopDocs top = searcher.search(heads, Math.min(total, offset + limit),
                        new Sort(new SortField(ChunkFields.DOC_ID_SORT, SortField.Type.STRING)));
                var stored = searcher.storedFields();
                for (int i = offset; i < top.scoreDocs.length; i++) {
                    Document d = stored.document(top.scoreDocs[i].doc);
                    StoredChunk c = ChunkFields.fromLucene(d);
                    docs.add(new DocumentSummary(c.documentId(), c.title(), c.source(),
                            d.getField(ChunkFields.CHUNK_COUNT).numericValue().intValue(), c.metadata()));
                }
            }
            return new DocumentPage(docs, total, offset, limit);
        } finally {
            searchers.release(searcher);
        }
    }

    long documents() throws IOException {
        return count(new TermQuery(new Term(ChunkFields.HEAD, "1")));
    }

    long chunks() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return searcher.getIndexReader().numDocs();
        } finally {
            searchers.release(searcher);
        }
    }

    long bytesOnDisk() {
        try (Stream<Path> files = Files.list(path)) {
            return files.mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // merged away while we looked
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int count(Query q) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return searcher.count(q);
        } finally {
            searchers.release(searcher);
        }
    }

    /** Document ids present, for tests and integrity checks. */
    Set<String> documentIds() throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        int offset = 0;
        while (true) {
            DocumentPage page = list(offset, 1000);
            page.documents().forEach(d -> ids.add(d.id()));
            offset += 1000;
            if (offset >= page.total()) {
                return ids;
            }
        }
    }

    @Override
    public void close() throws IOException {
        try (directory; analyzer) {
            try {
                searchers.close();
            } finally {
                writer.close();
            }
        }
    }
}
