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
 * {@link ModelFileInfo} as a small properties file beside a model ({@code FILE.gguf.llmp}) or a partial
 * download ({@code FILE.gguf.part.llmp}). The command line's store (it works while a server holds the
 * state database); the server imports these files and adopts ones written later by the command line.
 */
public final class SidecarFiles implements ModelFileStore {
    static final String SUFFIX = ".llmp";

    /** The sidecar of {@code file}. */
    public static Path of(Path file) {
        return file.resolveSibling(file.getFileName() + SUFFIX);
    }

    /** True for a sidecar's name ({@code *.gguf.llmp} or {@code *.gguf.part.llmp}). */
    public static boolean isSidecar(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(ModelRegistry.EXTENSION + SUFFIX) || n.endsWith(ModelRegistry.EXTENSION + ModelRegistry.PARTIAL + SUFFIX);
    }

    /** The file a sidecar describes. */
    public static Path describedBy(Path sidecar) {
        String n = sidecar.getFileName().toString();
        return sidecar.resolveSibling(n.substring(0, n.length() - SUFFIX.length()));
    }

    /** The sidecar of {@code file}, if there is one that can be read. */
    @Override
    public Optional<ModelFileInfo> read(Path file) {
        Path p = of(file);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(p)) {
            props.load(in);
            return Optional.of(new ModelFileInfo(props.getProperty("sha256"), Long.parseLong(props.getProperty("size", "-1")),
                    Long.parseLong(props.getProperty("modified", "-1")), Boolean.parseBoolean(props.getProperty("verified")),
                    props.getProperty("source")));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // unreadable: treated as absent, rewritten on next listing
        }
    }

    /** Writes the sidecar of {@code file} (replacing any), via a temporary file and a rename. */
    @Override
    public void write(Path file, ModelFileInfo info) {
        Properties props = new Properties();
        if (info.sha256() != null) {
            props.setProperty("sha256", info.sha256());
        }
        props.setProperty("size", Long.toString(info.size()));
        props.setProperty("modified", Long.toString(info.modifiedMillis()));
        props.setProperty("verified", Boolean.toString(info.verified()));
        if (info.source() != null) {
            props.setProperty("source", info.source());
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

    @Override
    public void delete(Path file) {
        try {
            Files.deleteIfExists(of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + of(file) + ": " + e.getMessage(), e);
        }
    }
}
