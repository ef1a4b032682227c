package dev.llmplatform.api.cli;

import dev.llmplatform.api.config.DataHome;
import dev.llmplatform.api.registry.ModelRegistry;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data DIR}: the data home the registry commands work on (default {@code $LLMP_HOME} or {@code ~/.llmp}). */
final class DataOption {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory holding models/ (default: $LLMP_HOME, else ~/.llmp).")
    Path dir;

    ModelRegistry registry() {
        return new ModelRegistry(DataHome.resolve(dir == null ? null : dir.toString()).models());
    }
}
