package dev.llmplatform.api.registry;

import dev.llmplatform.engine.gguf.GgufFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local models: every {@code NAME.gguf} directly in one directory (the data home's {@code models/}).
 * A model's name is its file name without {@code .gguf}. A {@link ModelFileStore} (the state database in
 * the server, sidecar files on the command line) caches each file's sha256 (so listing never rehashes
 * gigabytes twice) and records where it was pulled from. Partial
 * downloads ({@code NAME.gguf.part}) are not models and are not listed.
 */
public final class ModelRegistry {
    static final String EXTENSION = ".gguf";
    static final String PARTIAL = ".part";

    private final Path directory;
    private final ModelFileStore files;

    /** A registry whose metadata is in sidecar files beside the models (the command line's). */
    public ModelRegistry(Path directory) {
        this(directory, new SidecarFiles());
    }

    public ModelRegistry(Path directory, ModelFileStore files) {
        this.directory = directory.toAbsolutePath().normalize();
        this.files = files;
        try {
            Files.createDirectories(this.directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the model directory " + this.directory + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Where this registry records hashes and origins. */
    ModelFileStore files() {
        return files;
    }

    /** Every model, by name. Hashes (once) files that have no valid sidecar yet. */
    public List<RegistryEntry> list() {
        List<RegistryEntry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path p : files.filter(ModelRegistry::isModelFile).sorted(Comparator.comparing(Path::getFileName)).toList()) {
                entries.add(describe(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        return entries;
    }

    public Optional<RegistryEntry> find(String name) {
        Path p = fileOf(name);
        return Files.isRegularFile(p) ? Optional.of(describe(p)) : Optional.empty();
    }

    /**
     * The GGUF file of model {@code name} ({@code NAME} or {@code NAME.gguf}); this is what a server
     * resolves {@code --model NAME} or a load request with.
     *
     * @throws UnknownModelException when there is no such model
     */
    public Path resolve(String name) {
        Path p = fileOf(name);
        if (!Files.isRegularFile(p)) {
            throw new UnknownModelException(name, "no model '" + name + "' in the registry (" + directory
                    + "); `llmp models` lists them, `llmp pull OWNER/REPO` adds one");
        }
        return p;
    }

    /**
     * Deletes model {@code name}: its file, its recorded metadata, and a partial download of the same name if any.
     *
     * @throws UnknownModelException when there is neither a model nor a partial download of that name
     */
    public void remove(String name) {
        Path p = fileOf(name);
        Path part = partialOf(p.getFileName().toString());
        boolean removed = false;
        try {
            for (Path f : List.of(p, part)) {
                removed |= Files.deleteIfExists(f);
                files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + p + ": " + e.getMessage(), e);
        }
        if (!removed) {
            throw new UnknownModelException(name, "no model '" + name + "' in the registry (" + directory + ")");
        }
    }

    /** Where a download of {@code fileName} (a {@code .gguf} name) keeps its bytes until verified. */
    Path partialOf(String fileName) {
        return directory.resolve(fileName + PARTIAL);
    }

    /** The path a model file of this name has; the name must be a plain file name. */
    Path fileOf(String name) {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")
                || name.contains("\0")) {
            throw new IllegalArgumentException("'" + name + "' is not a model name (a file name under " + directory + ")");
        }
        return directory.resolve(name.endsWith(EXTENSION) ? name : name + EXTENSION);
    }

    /** The entry of {@code file}, hashing it and recording the hash when none is recorded or it is stale. */
    RegistryEntry describe(Path file) {
        try {
            long size = Files.size(file);
            Optional<ModelFileInfo> recorded = files.read(file);
            ModelFileInfo s;
            if (recorded.isPresent() && recorded.get().describes(file)) {
                s = recorded.get();
            } else {
                // Missing or stale: the file was put there (or replaced) by hand. Its origin is no longer known.
                s = new ModelFileInfo(sha256(file), size, Files.getLastModifiedTime(file).toMillis(), false, null);
                files.write(file, s);
            }
            String fileName = file.getFileName().toString();
            String name = fileName.substring(0, fileName.length() - EXTENSION.length());
            try (GgufFile gguf = GgufFile.open(file)) {
                String arch = gguf.metadata().string("general.architecture").orElse(null);
                long context = arch == null ? 0 : gguf.metadata().integer(arch + ".context_length").orElse(0L);
                return new RegistryEntry(name, file.toString(), size, arch, FileTypeNames.of(gguf), context, s.sha256(), s.verified(), s.source(), null);
            } catch (RuntimeException e) {
                return new RegistryEntry(name, file.toString(), size, null, null, 0, s.sha256(), s.verified(), s.source(),
                        e.getMessage());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isModelFile(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(EXTENSION) && !n.startsWith(".") && Files.isRegularFile(p);
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = newSha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
