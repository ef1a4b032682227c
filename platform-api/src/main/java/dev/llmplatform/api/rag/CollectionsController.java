package dev.llmplatform.api.rag;

import dev.llmplatform.api.metrics.PlatformMetrics;
import dev.llmplatform.api.web.ApiException;
import dev.llmplatform.rag.RagService;
import dev.llmplatform.rag.ingest.DocumentFormat;
import dev.llmplatform.rag.ingest.DocumentParser;
import dev.llmplatform.rag.ingest.IngestException;
import dev.llmplatform.rag.ingest.IngestProgress;
import dev.llmplatform.rag.ingest.JsonRecords;
import dev.llmplatform.rag.ingest.SourceDocument;
import dev.llmplatform.rag.retrieval.SearchMode;
import dev.llmplatform.rag.retrieval.SearchRequest;
import dev.llmplatform.rag.store.CollectionNotFoundException;
import dev.llmplatform.rag.store.DocumentPage;
import dev.llmplatform.rag.store.MetadataFilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/collections}: collections, their documents (multipart upload or JSON), search and ingest
 * jobs. Input is parsed completely before anything is stored, so a bad file leaves the collection as it was.
 */
@RestController
@RequestMapping("/v1/collections")
public class CollectionsController {
    private static final int MAX_PAGE = 1000;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final RagService rag;
    private final PlatformMetrics metrics;

    public CollectionsController(RagService rag, PlatformMetrics metrics) {
        this.rag = rag;
        this.metrics = metrics;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> create(@RequestBody Map<String, Object> body) {
        String name = string(body, "name", true);
        if (rag.describe(name).isPresent()) {
            throw new ApiException(HttpStatus.CONFLICT, "collection '" + name + "' already exists",
                    "invalid_request_error", "name", "collection_exists");
        }
        try {
            return RagJson.collection(rag.createCollection(name));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest(e.getMessage(), "name");
        }
    }

    @GetMapping
    public Map<String, Object> list() {
        return listOf(rag.collections().stream().map(RagJson::collection).toList());
    }

    @GetMapping("/{name}")
    public Map<String, Object> describe(@PathVariable String name) {
        return RagJson.collection(rag.describe(name).orElseThrow(() -> notFound(name)));
    }

    @DeleteMapping("/{name}")
    public Map<String, Object> delete(@PathVariable String name) {
        if (!rag.deleteCollection(name)) {
            throw notFound(name);
        }
        return Map.of("object", "collection.deleted", "name", name, "deleted", true);
    }

    /** Multipart upload: one or more {@code file} parts; optional {@code id}, {@code metadata} (JSON), {@code format}, {@code async}. */
    @PostMapping(value = "/{name}/documents", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<Map<String, Object>> upload(@PathVariable String name,
                                                      @RequestParam(value = "file", required = false) List<MultipartFile> files,
                                                      @RequestParam(value = "id", required = false) String id,
                                                      @RequestParam(value = "metadata", required = false) String metadata,
                                                      @RequestParam(value = "format", required = false) String format,
                                                      @RequestParam(value = "text_field", required = false) String textField,
                                                      @RequestParam(value = "async", defaultValue = "false") boolean async) {
        requireCollection(name);
        if (files == null || files.isEmpty()) {
            throw ApiException.invalidRequest("attach at least one 'file' part", "file");
        }
        if (id != null && files.size() > 1) {
            throw ApiException.invalidRequest("'id' applies to a single file; upload several files without it", "id");
        }
        DocumentFormat f = format == null ? null : DocumentFormat.ofName(format).orElseThrow(() ->
                ApiException.invalidRequest("unknown format '" + format + "'", "format"));
        Map<String, Object> extra = metadata == null ? Map.of() : metadataMap(parseJson(metadata, "metadata"), "metadata");
        DocumentParser parser = new DocumentParser(textField == null ? JsonRecords.Fields.DEFAULT
                : new JsonRecords.Fields(textField, "_id", "title"));
        List<SourceDocument> docs = new ArrayList<>();
        for (MultipartFile file : files) {
            byte[] bytes;
            try {
                bytes = file.getBytes();
            } catch (IOException e) {
                throw ApiException.invalidRequest("could not read the upload '" + file.getOriginalFilename() + "'", "file");
            }
            for (SourceDocument d : parser.parse(file.getOriginalFilename(), f, bytes, id)) {
                docs.add(extra.isEmpty() ? d : d.withMetadata(extra));
            }
        }
        return ingest(name, docs, async);
    }

    /** JSON documents: {@code {"documents": [{"id", "text", "title", "source", "metadata"}], "async": false}}. */
    @PostMapping(value = "/{name}/documents", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> addJson(@PathVariable String name, @RequestBody Map<String, Object> body) {
        requireCollection(name);
        if (!(body.get("documents") instanceof List<?> list) || list.isEmpty()) {
            throw ApiException.invalidRequest("'documents' must be a non-empty array", "documents");
        }
        List<SourceDocument> docs = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> raw)) {
                throw ApiException.invalidRequest("documents[" + i + "] must be an object", "documents");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> d = (Map<String, Object>) raw;
            String text = string(d, "text", false);
            if (text == null || text.isBlank()) {
                throw ApiException.invalidRequest("documents[" + i + "].text must be a non-empty string", "documents");
            }
            String id = string(d, "id", false);
            Map<String, Object> meta = d.get("metadata") == null ? Map.of() : metadataMap(d.get("metadata"), "documents[" + i + "].metadata");
            String title = string(d, "title", false);
            String source = string(d, "source", false);
            docs.add(new SourceDocument(id != null ? id : DocumentParser.contentId(text), title == null ? "" : title,
                    source == null ? "" : source, text, List.of(), meta));
        }
        return ingest(name, docs, Boolean.TRUE.equals(body.get("async")));
    }

    /** Counts each stored batch's new chunks in {@code llmp_ingest_chunks_total} (progress reports are cumulative). */
    private Consumer<IngestProgress> chunkCounter(String collection) {
        long[] counted = {0};
        return p -> {
            metrics.ingested(collection, (int) (p.chunks() - counted[0]));
            counted[0] = p.chunks();
        };
    }

    private ResponseEntity<Map<String, Object>> ingest(String name, List<SourceDocument> docs, boolean async) {
        if (async) {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(RagJson.job(rag.submitIngest(name, docs, chunkCounter(name))));
        }
        IngestProgress done = rag.ingest(name, docs, chunkCounter(name));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "ingest.result");
        out.put("collection", name);
        List<Map<String, Object>> ids = new ArrayList<>();
        for (SourceDocument d : docs) {
            ids.add(Map.of("id", d.id(), "title", d.title()));
        }
        out.put("documents", ids);
        out.put("chunks", done.chunks());
        return ResponseEntity.ok(out);
    }

    @GetMapping("/{name}/documents")
    public Map<String, Object> documents(@PathVariable String name,
                                         @RequestParam(defaultValue = "0") int offset,
                                         @RequestParam(defaultValue = "100") int limit) {
        requireCollection(name);
        if (offset < 0) {
            throw ApiException.invalidRequest("offset must not be negative", "offset");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.invalidRequest("limit must be in 1.." + MAX_PAGE, "limit");
        }
        DocumentPage page = rag.documents(name, offset, limit);
        Map<String, Object> out = listOf(page.documents().stream().map(RagJson::document).toList());
        out.put("total", page.total());
        out.put("offset", offset);
        out.put("limit", limit);
        return out;
    }

    @DeleteMapping("/{name}/documents/{id}")
    public Map<String, Object> deleteDocument(@PathVariable String name, @PathVariable String id) {
        requireCollection(name);
        if (!rag.deleteDocument(name, id)) {
            throw new ApiException(HttpStatus.NOT_FOUND, "document '" + id + "' is not in collection '" + name + "'",
                    "invalid_request_error", "id", "document_not_found");
        }
        return Map.of("object", "document.deleted", "id", id, "deleted", true);
    }

    /** {@code {"query", "mode": "hybrid", "top_k": 5, "filter": {...}, "min_score", "mmr_lambda", "one_per_document"}}. */
    @PostMapping(value = "/{name}/search", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> search(@PathVariable String name, @RequestBody Map<String, Object> body) {
        requireCollection(name);
        SearchRequest request = RagRequests.searchRequest(body);
        return listOf(rag.search(name, request).stream().map(RagJson::hit).toList());
    }

    @GetMapping("/{name}/jobs/{id}")
    public Map<String, Object> job(@PathVariable String name, @PathVariable String id) {
        return rag.job(id).filter(j -> j.collection().equals(name)).map(RagJson::job).orElseThrow(() ->
                new ApiException(HttpStatus.NOT_FOUND, "no ingest job '" + id + "' for collection '" + name + "'",
                        "invalid_request_error", "id", "job_not_found"));
    }

    @ExceptionHandler(IngestException.class)
    ResponseEntity<Object> badDocument(IngestException e) {
        ApiException api = new ApiException(HttpStatus.BAD_REQUEST, e.getMessage() + "; nothing was ingested",
                "invalid_request_error", "file", "invalid_document");
        return ResponseEntity.status(api.status()).body(api.toBody());
    }

    @ExceptionHandler(CollectionNotFoundException.class)
    ResponseEntity<Object> missing(CollectionNotFoundException e) {
        ApiException api = new ApiException(HttpStatus.NOT_FOUND, e.getMessage(), "invalid_request_error", "name",
                "collection_not_found");
        return ResponseEntity.status(api.status()).body(api.toBody());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Object> invalid(IllegalArgumentException e) {
        ApiException api = ApiException.invalidRequest(e.getMessage(), null);
        return ResponseEntity.status(api.status()).body(api.toBody());
    }

    private void requireCollection(String name) {
        if (rag.describe(name).isEmpty()) {
            throw notFound(name);
        }
    }

    private static ApiException notFound(String name) {
        return new ApiException(HttpStatus.NOT_FOUND, "collection '" + name + "' does not exist",
                "invalid_request_error", "name", "collection_not_found");
    }

    private static Map<String, Object> listOf(List<Map<String, Object>> data) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "list");
        out.put("data", data);
        return out;
    }

    static String string(Map<String, Object> body, String field, boolean required) {
        Object v = body.get(field);
        if (v == null) {
            if (required) {
                throw ApiException.invalidRequest("'" + field + "' is required", field);
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw ApiException.invalidRequest("'" + field + "' must be a string", field);
        }
        return s;
    }

    private static Object parseJson(String text, String param) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JacksonException e) {
            throw ApiException.invalidRequest("'" + param + "' is not valid JSON: " + e.getOriginalMessage(), param);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadataMap(Object value, String param) {
        if (!(value instanceof Map<?, ?> m)) {
            throw ApiException.invalidRequest("'" + param + "' must be a JSON object", param);
        }
        return (Map<String, Object>) m;
    }
}
