package dev.llmplatform.api.cli;

import dev.llmplatform.engine.tensor.Parallel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --threads N}, shared by the commands that run a model: sizes the engine's worker pool. */
final class ThreadsOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"--threads", "-t"}, paramLabel = "N", description = "Worker threads (default: all processors).")
    Integer threads;

    /** Resizes the worker pool if {@code --threads} was given. */
    void apply() {
        if (threads == null) {
            return;
        }
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be ≥ 1 (got " + threads + ")");
        }
        Parallel.setThreads(threads);
    }
}
