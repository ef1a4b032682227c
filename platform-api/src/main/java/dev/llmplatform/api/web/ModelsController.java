package dev.llmplatform.api.web;

import dev.llmplatform.api.serving.EmbeddingService;
import dev.llmplatform.api.serving.ModelManager;
import dev.llmplatform.api.serving.ServedModel;
import dev.llmplatform.api.upstream.UpstreamModel;
import dev.llmplatform.api.upstream.Upstreams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models[/{id}]}: the loaded chat models, the embedding models and the remote (upstream) models, in OpenAI's list shape. */
@RestController
@RequestMapping("/v1/models")
public class ModelsController {
    private final ModelManager models;
    private final EmbeddingService embeddings;
    private final Upstreams upstreams;

    public ModelsController(ModelManager models, EmbeddingService embeddings, Upstreams upstreams) {
        this.models = models;
        this.embeddings = embeddings;
        this.upstreams = upstreams;
    }

    @GetMapping
    public Map<String, Object> list() {
        List<Map<String, Object>> data = new ArrayList<>();
        for (ServedModel m : models.all()) {
            data.add(model(m.id(), m.loadedAt().getEpochSecond()));
        }
        for (String id : embeddings.ids()) {
            data.add(model(id, 0));
        }
        for (UpstreamModel m : upstreams.all()) {
            data.add(model(m.id(), 0));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", data);
        return body;
    }

    @GetMapping("/{id}")
    public Map<String, Object> get(@PathVariable String id) {
        for (ServedModel m : models.all()) {
            if (m.id().equals(id)) {
                return model(id, m.loadedAt().getEpochSecond());
            }
        }
        if (embeddings.has(id) || upstreams.find(id) != null) {
            return model(id, 0);
        }
        throw ApiException.modelNotFound(id);
    }

    private static Map<String, Object> model(String id, long created) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", "llmp");
        return m;
    }
}
