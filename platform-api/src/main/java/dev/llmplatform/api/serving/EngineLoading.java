package dev.llmplatform.api.serving;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.tensor.Parallel;
import java.nio.file.Path;

/** How the server loads an engine with its own thread count. */
final class EngineLoading {
    private EngineLoading() {
    }

    /** {@code threads} 0 means the engine's default (all processors, or {@code -Dllmp.threads}). */
    static Engine load(Path path, int threads, boolean warmUp) {
        return Engine.load(path, threads > 0 ? threads : Parallel.defaultThreads(), warmUp);
    }
}
