package dev.llmplatform.api.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --model PATH}, shared by the commands that read a GGUF file: one option and one check, so every
 * command answers a typo with the same one-line message instead of an I/O stack trace.
 */
final class ModelFileOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"--model", "-m"}, required = true, paramLabel = "PATH",
            description = "GGUF model file (for tokenize/detokenize a vocabulary-only file will do).")
    Path model;

    /** The model file, checked to be a readable regular file. */
    Path path() {
        try {
            return CliFiles.requireFile(model, "--model");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
