package dev.llmplatform.api.web;

import dev.llmplatform.api.config.PlatformProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models}: the configured models, in OpenAI's list shape. */
@RestController
@RequestMapping("/v1/models")
public class ModelsController {
    public record Model(String id, String object, long created, String owned_by) {}

    public record ModelList(String object, List<Model> data) {}

    private final PlatformProperties properties;

    public ModelsController(PlatformProperties properties) {
        this.properties = properties;
    }

    @GetMapping
    public ModelList list() {
        return new ModelList("list", properties.models().stream().map(ModelsController::toModel).toList());
    }

    @GetMapping("/{id}")
    public Model get(@PathVariable String id) {
        return properties.models().stream()
                .filter(m -> m.effectiveId().equals(id))
                .findFirst()
                .map(ModelsController::toModel)
                .orElseThrow(() -> ApiException.modelNotFound(id));
    }

    private static Model toModel(PlatformProperties.ModelEntry entry) {
        long created;
        try {
            created = Files.getLastModifiedTime(entry.path()).toInstant().getEpochSecond();
        } catch (IOException e) {
            created = 0;
        }
        return new Model(entry.effectiveId(), "model", created, "llmp");
    }
}
