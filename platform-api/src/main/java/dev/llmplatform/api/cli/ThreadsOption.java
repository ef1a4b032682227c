package dev.llmplatform.api.cli;

import dev.llmplatform.engine.tensor.Parallel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --threads N}, shared by the commands that run a model: how many threads the model they load
 * computes on (passed to the load, so nothing process-wide changes).
 */
final class ThreadsOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"--threads", "-t"}, paramLabel = "N",
            description = "Worker threads (default: -Dllmp.threads, else all processors).")
    Integer threads;

    /** The thread count to load the model with: {@code --threads} if given, else the default. */
    int count() {
        if (threads == null) {
            try {
                return Parallel.defaultThreads();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be ≥ 1 (got " + threads + ")");
        }
        return threads;
    }
}
