package dev.llmplatform.api.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The small properties file beside a model ({@code FILE.gguf.llmp}) or a partial download
 * ({@code FILE.gguf.part.llmp}): its sha256 and where it came from. The size and modification time it was
 * computed for are stored too, so a file replaced by hand is rehashed rather than trusted.
 */
record Sidecar(String sha256, long size, long modifiedMillis, boolean verified, String source) {
    static final String SUFFIX = ".llmp";

    static Path of(Path file) {
        return file.resolveSibling(file.getFileName() + SUFFIX);
    }

    /** The sidecar of {@code file}, if there is one that can be read. */
    static Optional<Sidecar> read(Path file) {
        Path p = of(file);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(p)) {
            props.load(in);
            return Optional.of(new Sidecar(props.getProperty("sha256"), Long.parseLong(props.getProperty("size", "-1")),
                    Long.parseLong(props.getProperty("modified", "-1")), Boolean.parseBoolean(props.getProperty("verified")),
                    props.getProperty("source")));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // unreadable: treated as absent, rewritten on next listing
        }
    }

    /** True when this sidecar was written for {@code file} as it is now. */
    boolean describes(Path file) throws IOException {
        return sha256 != null && size == Files.size(file) && modifiedMillis == Files.getLastModifiedTime(file).toMillis();
    }

    /** Writes this sidecar for {@code file} (replacing any), via a temporary file and a rename. */
    void write(Path file) {
        Properties props = new Properties();
        if (sha256 != null) {
            props.setProperty("sha256", sha256);
        }
        props.setProperty("size", Long.toString(size));
        props.setProperty("modified", Long.toString(modifiedMillis));
        props.setProperty("verified", Boolean.toString(verified));
        if (source != null) {
            props.setProperty("source", source);
        }
        Path target = of(file);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                props.store(out, "llmp model registry: sha256 cache and origin of " + file.getFileName());
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
