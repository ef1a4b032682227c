package dev.llmplatform.api.rag;

import dev.llmplatform.rag.ingest.IngestJob;
import dev.llmplatform.rag.ingest.IngestProgress;
import dev.llmplatform.rag.prompt.Citation;
import dev.llmplatform.rag.retrieval.SearchHit;
import dev.llmplatform.rag.store.CollectionInfo;
import dev.llmplatform.rag.store.DocumentSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST shapes of collections, documents, hits, jobs and citations (snake_case, with an {@code object}
 * tag as OpenAI's).
 */
public final class RagJson {
    private RagJson() {
    }

    static Map<String, Object> collection(CollectionInfo c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("object", "collection");
        m.put("name", c.name());
        m.put("embedding_model", c.embeddingModel());
        m.put("dimension", c.dimension());
        m.put("documents", c.documents());
        m.put("chunks", c.chunks());
        m.put("bytes", c.bytes());
        m.put("created_at", c.createdAt().getEpochSecond());
        return m;
    }

    static Map<String, Object> document(DocumentSummary d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("object", "document");
        m.put("id", d.id());
        m.put("title", d.title());
        m.put("source", d.source());
        m.put("chunks", d.chunks());
        m.put("metadata", d.metadata());
        return m;
    }

    static Map<String, Object> hit(SearchHit h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("object", "search.hit");
        m.put("document_id", h.documentId());
        m.put("chunk_index", h.chunkIndex());
        m.put("score", h.score());
        m.put("text", h.text());
        m.put("title", h.title());
        m.put("source", h.source());
        m.put("page", h.page());
        m.put("start", h.start());
        m.put("end", h.end());
        m.put("metadata", h.metadata());
        return m;
    }

    static Map<String, Object> job(IngestJob j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("object", "ingest.job");
        m.put("id", j.id());
        m.put("collection", j.collection());
        m.put("status", j.state());
        m.put("progress", progress(j.progress()));
        m.put("error", j.error());
        m.put("created_at", j.createdAt().getEpochSecond());
        m.put("finished_at", j.finishedAt() == null ? null : j.finishedAt().getEpochSecond());
        return m;
    }

    static Map<String, Object> progress(IngestProgress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("documents_total", p.totalDocuments());
        m.put("documents_done", p.doneDocuments());
        m.put("chunks", p.chunks());
        m.put("elapsed_seconds", p.elapsedNanos() / 1e9);
        m.put("chunks_per_second", p.chunksPerSecond());
        m.put("eta_seconds", p.etaSeconds() < 0 ? null : p.etaSeconds());
        return m;
    }

    /**
     * Chat completions' {@code citations}: {@code [{"index", "document_id", "title", "source", "page", "score", "text"}]},
     * in the order of the {@code [n]} numbers in the prompt.
     */
    public static List<Map<String, Object>> citations(List<Citation> citations) {
        return citations.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", c.index());
            m.put("document_id", c.documentId());
            m.put("title", c.title());
            m.put("source", c.source());
            m.put("page", c.page());
            m.put("score", c.score());
            m.put("text", c.text());
            return m;
        }).toList();
    }
}
