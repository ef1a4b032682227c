package dev.llmplatform.api.config;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code llmp.*} configuration: the models the platform serves.
 *
 * @param models models by id; {@code llmp serve --model PATH} adds {@code llmp.models[i].path}
 */
@ConfigurationProperties("llmp")
public record PlatformProperties(List<ModelEntry> models) {
    public PlatformProperties {
        models = models == null ? List.of() : List.copyOf(models);
    }

    /**
     * @param id   the name clients put in {@code "model"}; defaults to the file name without {@code .gguf}
     * @param path the GGUF file
     */
    public record ModelEntry(String id, Path path) {
        public String effectiveId() {
            if (id != null && !id.isBlank()) {
                return id;
            }
            String name = path.getFileName().toString();
            return name.endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
        }
    }
}
