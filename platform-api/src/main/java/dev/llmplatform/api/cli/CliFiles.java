package dev.llmplatform.api.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on file arguments, so a typo gets a one-line message rather than an I/O stack trace. */
final class CliFiles {
    private CliFiles() {
    }

    static Path requireFile(Path path, String option) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(option + " " + path + ": no such file");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException(option + " " + path + ": not a readable file");
        }
        return path;
    }
}
