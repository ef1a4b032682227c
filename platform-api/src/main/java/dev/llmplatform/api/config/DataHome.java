package dev.llmplatform.api.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The platform's data directory: models ({@code models/}), collections ({@code collections/}) and
 * state ({@code state/}) all live under it. Resolved from, in order: the {@code llmp.home} property,
 * the {@code LLMP_HOME} environment variable, {@code ~/.llmp}.
 */
public record DataHome(Path root) {
    public DataHome {
        root = root.toAbsolutePath().normalize();
    }

    /** The home chosen by {@code llmp.home} (may be null or blank), else {@code LLMP_HOME}, else {@code ~/.llmp}. */
    public static DataHome resolve(String configured) {
        if (configured != null && !configured.isBlank()) {
            return new DataHome(Path.of(configured));
        }
        String env = System.getenv("LLMP_HOME");
        if (env != null && !env.isBlank()) {
            return new DataHome(Path.of(env));
        }
        return new DataHome(Path.of(System.getProperty("user.home"), ".llmp"));
    }

    public Path models() {
        return dir("models");
    }

    public Path collections() {
        return dir("collections");
    }

    public Path state() {
        return dir("state");
    }

    /** A sub-directory of the home, created on first use. */
    public Path dir(String name) {
        Path p = root.resolve(name);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p + ": " + e.getMessage(), e);
        }
        return p;
    }
}
