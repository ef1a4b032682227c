package dev.llmplatform.api.web;

import dev.llmplatform.api.config.PlatformProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/chat/completions}. Validates the request and resolves the model; generation is wired
 * in once the engine serves models (a later issue), so until then every model is reported missing.
 */
@RestController
public class ChatCompletionsController {
    public record Message(@NotBlank String role, Object content) {}

    public record ChatCompletionRequest(@NotBlank String model, @NotEmpty List<@Valid Message> messages) {}

    private final PlatformProperties properties;

    public ChatCompletionsController(PlatformProperties properties) {
        this.properties = properties;
    }

    @PostMapping("/v1/chat/completions")
    public Object create(@Valid @RequestBody ChatCompletionRequest request) {
        boolean known = properties.models().stream().anyMatch(m -> m.effectiveId().equals(request.model()));
        if (!known) {
            throw ApiException.modelNotFound(request.model());
        }
        throw new ApiException(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                "Model '" + request.model() + "' is configured but text generation is not available in this build",
                "server_error", "model", "generation_unavailable");
    }
}
