package dev.llmplatform.api.web;

import dev.llmplatform.api.registry.ModelRef;
import dev.llmplatform.api.registry.ModelRegistry;
import dev.llmplatform.api.registry.PullJob;
import dev.llmplatform.api.registry.PullJobs;
import dev.llmplatform.api.registry.RegistryEntry;
import dev.llmplatform.api.registry.UnknownModelException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The model registry over HTTP: pull jobs ({@code POST /v1/admin/models/pull}, polled at
 * {@code GET /v1/admin/models/pull/{id}}), the list, and deletion. Admin-only once auth is on (the
 * filter on {@code /v1/admin/**} decides; nothing here).
 */
@RestController
@RequestMapping("/v1/admin/models")
public class ModelRegistryController {
    public record PullRequest(String model, String file) {}

    public record RegistryList(String object, List<RegistryEntry> data) {}

    public record Deleted(String id, String object, boolean deleted) {}

    private final ModelRegistry registry;
    private final PullJobs jobs;

    public ModelRegistryController(ModelRegistry registry, PullJobs jobs) {
        this.registry = registry;
        this.jobs = jobs;
    }

    @PostMapping("/pull")
    public ResponseEntity<PullJob.Snapshot> pull(@RequestBody(required = false) PullRequest request) {
        if (request == null || request.model() == null || request.model().isBlank()) {
            throw ApiException.invalidRequest("'model' is required: \"owner/repo[:file_or_quant]\"", "model");
        }
        ModelRef ref;
        try {
            ref = ModelRef.parse(request.model(), request.file());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest(e.getMessage(), "model");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(jobs.start(ref).snapshot());
    }

    @GetMapping("/pull/{id}")
    public PullJob.Snapshot job(@PathVariable String id) {
        return jobs.find(id).map(PullJob::snapshot).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                "No pull job '" + id + "'", "invalid_request_error", "id", "job_not_found"));
    }

    @GetMapping("/registry")
    public RegistryList list() {
        return new RegistryList("list", registry.list());
    }

    @DeleteMapping("/registry/{name}")
    public Deleted delete(@PathVariable String name) {
        try {
            registry.remove(name);
        } catch (UnknownModelException e) {
            throw ApiException.modelNotFound(name);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest(e.getMessage(), "name");
        }
        return new Deleted(name, "model", true);
    }
}
