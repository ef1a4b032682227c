package dev.llmplatform.rag.retrieval;

import dev.llmplatform.rag.Embedder;
import dev.llmplatform.rag.store.CollectionStore;
import dev.llmplatform.rag.store.ScoredChunk;
import dev.llmplatform.rag.store.StoredChunk;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dense, BM25 and hybrid retrieval over a {@link CollectionStore}: embeds the query, asks the store for
 * candidates, fuses ranked lists with reciprocal rank fusion, optionally re-ranks with MMR, and trims to
 * top-k and the minimum score.
 */
public final class Retriever {
    private final CollectionStore store;
    private final Embedder embedder;

    public Retriever(CollectionStore store, Embedder embedder) {
        this.store = store;
        this.embedder = embedder;
    }

    public List<SearchHit> search(String collection, SearchRequest request) {
        float[] queryVector = request.mode() != SearchMode.BM25 || request.mmrLambda() != null
                ? embedder.embed(List.of(request.query())).getFirst() : null;
        return search(collection, request, queryVector);
    }

    /** As {@link #search(String, SearchRequest)} with the query already embedded (batch evaluation). */
    public List<SearchHit> search(String collection, SearchRequest request, float[] queryVector) {
        int pool = request.mmrLambda() != null || request.mode() == SearchMode.HYBRID || request.onePerDocument()
                ? Math.max(request.topK() * (request.onePerDocument() ? 3 : 1), request.fusion().candidates())
                : request.topK();
        List<Scored> ranked = switch (request.mode()) {
            case DENSE -> wrap(collapse(store.denseSearch(collection, queryVector, pool, request.filter()), request));
            case BM25 -> wrap(collapse(store.lexicalSearch(collection, request.query(), pool, request.filter()), request));
            case HYBRID -> fuse(
                    collapse(store.denseSearch(collection, queryVector, pool, request.filter()), request),
                    collapse(store.lexicalSearch(collection, request.query(), pool, request.filter()), request),
                    request.fusion(), request.onePerDocument());
        };
        if (request.minScore() != null) {
            ranked = ranked.stream().filter(s -> s.score >= request.minScore()).toList();
        }
        if (request.mmrLambda() != null) {
            ranked = Mmr.rerank(ranked, queryVector, request.mmrLambda(), request.topK());
        }
        List<SearchHit> hits = new ArrayList<>(Math.min(request.topK(), ranked.size()));
        for (Scored s : ranked.subList(0, Math.min(request.topK(), ranked.size()))) {
            StoredChunk c = s.chunk;
            hits.add(new SearchHit(c.documentId(), c.chunkIndex(), s.score, c.text(), c.title(), c.source(), c.page(),
                    c.start(), c.end(), c.metadata()));
        }
        return hits;
    }

    /** A candidate with the score it is ranked by. */
    record Scored(StoredChunk chunk, double score) {
    }

    private static List<ScoredChunk> collapse(List<ScoredChunk> hits, SearchRequest request) {
        if (!request.onePerDocument()) {
            return hits;
        }
        Set<String> seen = new HashSet<>();
        List<ScoredChunk> out = new ArrayList<>();
        for (ScoredChunk h : hits) {
            if (seen.add(h.chunk().documentId())) {
                out.add(h);
            }
        }
        return out;
    }

    private static List<Scored> wrap(List<ScoredChunk> hits) {
        return hits.stream().map(h -> new Scored(h.chunk(), h.score())).toList();
    }

    /**
     * Reciprocal rank fusion of the two lists; ties keep the dense order. Entries are matched by chunk, or
     * by document when each list holds one chunk per document (the two lists may pick different chunks
     * of the same document, and it must still count as found by both).
     */
    static List<Scored> fuse(List<ScoredChunk> dense, List<ScoredChunk> bm25, SearchRequest.Fusion f, boolean byDocument) {
        Map<String, double[]> scores = new LinkedHashMap<>();
        Map<String, StoredChunk> chunks = new LinkedHashMap<>();
        addRanks(dense, f.denseWeight(), f, byDocument, scores, chunks);
        addRanks(bm25, f.bm25Weight(), f, byDocument, scores, chunks);
        List<Scored> out = new ArrayList<>(scores.size());
        scores.forEach((key, s) -> out.add(new Scored(chunks.get(key), s[0])));
        out.sort(Comparator.comparingDouble(Scored::score).reversed());
        return out;
    }

    private static void addRanks(List<ScoredChunk> list, double weight, SearchRequest.Fusion f, boolean byDocument,
                                 Map<String, double[]> scores, Map<String, StoredChunk> chunks) {
        for (int rank = 0; rank < Math.min(list.size(), f.candidates()); rank++) {
            StoredChunk c = list.get(rank).chunk();
            String key = byDocument ? c.documentId() : c.documentId() + "\u0000" + c.chunkIndex();
            chunks.putIfAbsent(key, c);
            scores.computeIfAbsent(key, k -> new double[1])[0] += weight / (f.k() + rank + 1);
        }
    }
}
