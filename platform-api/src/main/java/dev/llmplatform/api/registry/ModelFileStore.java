package dev.llmplatform.api.registry;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the registry keeps {@link ModelFileInfo} per file of its directory: the state database in the
 * server ({@code model_files}), sidecar files ({@link SidecarFiles}) for the command line, which must work
 * while a server holds the embedded database. Implementations are thread-safe.
 */
public interface ModelFileStore {
    /** What is recorded for {@code file} (a model or a partial download in the registry directory), if anything. */
    Optional<ModelFileInfo> read(Path file);

    /** Records {@code info} for {@code file}, replacing what was recorded. */
    void write(Path file, ModelFileInfo info);

    /** Forgets {@code file}; nothing happens when nothing was recorded. */
    void delete(Path file);
}
