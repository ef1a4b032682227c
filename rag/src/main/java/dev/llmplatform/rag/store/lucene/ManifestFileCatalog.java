package dev.llmplatform.rag.store.lucene;

import dev.llmplatform.rag.store.CollectionCatalog;
import dev.llmplatform.rag.store.CollectionMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalog as one {@code NAME/collection.json} per collection under a root directory (written
 * atomically): how collections were recorded before the state database, and still what offline tools
 * without a database use. The server reads these files once, to import them.
 */
public final class ManifestFileCatalog implements CollectionCatalog {
    static final String MANIFEST = "collection.json";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Path root;

    public ManifestFileCatalog(Path root) {
        this.root = root;
    }

    @Override
    public synchronized void add(CollectionMetadata c) {
        Path dir = root.resolve(c.name());
        if (Files.exists(dir.resolve(MANIFEST))) {
            throw new IllegalArgumentException("collection '" + c.name() + "' already exists");
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("name", c.name());
        manifest.put("embedding_model", c.embeddingModel());
        manifest.put("dimension", c.dimension());
        manifest.put("created_at", c.createdAt().toString());
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(MANIFEST + ".tmp");
            Files.writeString(tmp, JSON.writeValueAsString(manifest));
            try {
                Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record collection '" + c.name() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<CollectionMetadata> find(String name) {
        Path file = root.resolve(name).resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            var node = JSON.readTree(Files.readString(file));
            return Optional.of(new CollectionMetadata(name, node.get("embedding_model").asString(), node.get("dimension").asInt(),
                    Instant.parse(node.get("created_at").asString())));
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    @Override
    public List<CollectionMetadata> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<CollectionMetadata> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted(Comparator.comparing(Path::toString)).toList()) {
                if (Files.isRegularFile(dir.resolve(MANIFEST))) {
                    find(dir.getFileName().toString()).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public synchronized boolean remove(String name) {
        try {
            return Files.deleteIfExists(root.resolve(name).resolve(MANIFEST));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the manifest of '" + name + "': " + e.getMessage(), e);
        }
    }
}
