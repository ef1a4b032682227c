package dev.llmplatform.api.web;

import dev.llmplatform.api.config.PlatformProperties.ModelEntry;
import dev.llmplatform.api.registry.FileTypeNames;
import dev.llmplatform.api.registry.ModelRegistry;
import dev.llmplatform.api.serving.ModelLoadException;
import dev.llmplatform.api.serving.ModelManager;
import dev.llmplatform.api.serving.ServedModel;
import dev.llmplatform.engine.gguf.GgufSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The models being served, and loading or unloading them at runtime:
 * {@code GET /v1/admin/models}, {@code POST /v1/admin/models/{id}/load} (a registry name, or
 * {@code {"path": ...}}, with optional {@code ctx}, {@code parallel}, {@code threads}, {@code kv_type}),
 * {@code POST /v1/admin/models/{id}/unload} (its memory is returned; running requests end as cancelled).
 */
@RestController
public class LoadedModelsController {
    private final ModelManager models;
    private final ModelRegistry registry;

    public LoadedModelsController(ModelManager models, ModelRegistry registry) {
        this.models = models;
        this.registry = registry;
    }

    @GetMapping("/v1/admin/models")
    public Map<String, Object> list() {
        List<Map<String, Object>> data = new ArrayList<>();
        for (ServedModel m : models.all()) {
            data.add(describe(m));
        }
        return OpenAiShapes.ordered("object", "list", "data", data);
    }

    @PostMapping("/v1/admin/models/{id}/load")
    public Map<String, Object> load(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        RequestReader r = new RequestReader(body == null || body.isNull() ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode() : body);
        String pathText = r.string("path", null);
        Path path;
        if (pathText != null) {
            path = Path.of(pathText);
            if (!Files.isRegularFile(path)) {
                throw ApiException.invalidRequest("'path' " + pathText + ": no such file", "path");
            }
        } else {
            try {
                path = registry.resolve(id);
            } catch (IllegalArgumentException e) {
                throw new ApiException(HttpStatus.NOT_FOUND, "No model '" + id + "' in the registry; pull it first or give a 'path'",
                        "invalid_request_error", "id", "model_not_found");
            }
        }
        ModelEntry entry = new ModelEntry(id, path, r.integer("ctx", null, 2, Integer.MAX_VALUE),
                r.integer("threads", null, 1, 1024), r.integer("parallel", null, 1, 1024), r.string("kv_type", null));
        ServedModel loaded;
        try {
            loaded = models.load(entry);
        } catch (ModelLoadException e) {
            throw new ApiException(HttpStatus.CONFLICT, e.getMessage(), "invalid_request_error", "id", "model_load_failed");
        }
        return loaded != null ? describe(loaded) : OpenAiShapes.ordered("id", id, "object", "model", "kind", "embedding");
    }

    @PostMapping("/v1/admin/models/{id}/unload")
    public Map<String, Object> unload(@PathVariable String id) {
        models.unload(id);
        return OpenAiShapes.ordered("id", id, "object", "model", "unloaded", true);
    }

    private static Map<String, Object> describe(ServedModel m) {
        GgufSummary summary = GgufSummary.of(m.engine().file(), m.kvType().ggmlType());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", m.id());
        d.put("object", "model");
        d.put("path", m.path().toString());
        d.put("architecture", m.engine().config().architecture());
        d.put("quantization", FileTypeNames.of(m.engine().file()));
        d.put("file_bytes", summary.weightBytes());
        d.put("context_length", m.contextLength());
        d.put("parallel", m.pool().capacity());
        d.put("threads", m.threads());
        d.put("kv_type", m.kvType().name().toLowerCase(Locale.ROOT));
        d.put("active_sequences", m.pool().inUse());
        d.put("queued_requests", m.pool().waiting());
        d.put("kv_cache_bytes", m.pool().kvBytes());
        d.put("kv_cache_tokens", m.pool().positionsHeld());
        d.put("loaded_at", m.loadedAt().getEpochSecond());
        return d;
    }
}
