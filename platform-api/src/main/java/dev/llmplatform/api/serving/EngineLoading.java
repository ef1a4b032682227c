package dev.llmplatform.api.serving;

import dev.llmplatform.engine.Engine;
import java.nio.file.Path;

/** How the server loads an engine with its own thread count. */
final class EngineLoading {
    private EngineLoading() {
    }

    static Engine load(Path path, int threads) {
        return Engine.load(path);
    }

    static int threadsOf(Engine engine, int requested) {
        return requested > 0 ? requested : Runtime.getRuntime().availableProcessors();
    }
}
