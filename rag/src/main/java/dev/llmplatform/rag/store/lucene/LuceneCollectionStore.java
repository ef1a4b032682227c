package dev.llmplatform.rag.store.lucene;

import dev.llmplatform.rag.store.CollectionInfo;
import dev.llmplatform.rag.store.CollectionNotFoundException;
import dev.llmplatform.rag.store.CollectionStore;
import dev.llmplatform.rag.store.DocumentPage;
import dev.llmplatform.rag.store.IndexedDocument;
import dev.llmplatform.rag.store.MetadataFilter;
import dev.llmplatform.rag.store.ScoredChunk;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Collections as directories under one root, each {@code NAME/collection.json} (embedding model,
 * dimension, creation time; written atomically) plus {@code NAME/index/} (the Lucene index). Indexes are
 * opened on first use and kept open — one writer per collection per process — until the store closes.
 */
public final class LuceneCollectionStore implements CollectionStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final String MANIFEST = "collection.json";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Path root;
    private final Map<String, LuceneCollection> open = new ConcurrentHashMap<>();

    public LuceneCollectionStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("invalid collection name '" + name
                    + "': use 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit");
        }
    }

    @Override
    public synchronized CollectionInfo create(String name, String embeddingModel, int dimension) {
        checkName(name);
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        Path dir = root.resolve(name);
        if (Files.exists(dir.resolve(MANIFEST))) {
            throw new IllegalArgumentException("collection '" + name + "' already exists");
        }
        try {
            Files.createDirectories(dir.resolve("index"));
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("name", name);
            manifest.put("embedding_model", embeddingModel);
            manifest.put("dimension", dimension);
            manifest.put("created_at", Instant.now().toString());
            Path tmp = dir.resolve(MANIFEST + ".tmp");
            Files.writeString(tmp, JSON.writeValueAsString(manifest));
            try {
                Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create collection '" + name + "': " + e.getMessage(), e);
        }
        return describe(name).orElseThrow();
    }

    @Override
    public List<CollectionInfo> list() {
        List<CollectionInfo> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted(Comparator.comparing(Path::toString)).toList()) {
                if (Files.isRegularFile(dir.resolve(MANIFEST))) {
                    describe(dir.getFileName().toString()).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public Optional<CollectionInfo> describe(String name) {
        Optional<Manifest> manifest = manifest(name);
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        Manifest m = manifest.get();
        LuceneCollection c = collection(name);
        try {
            return Optional.of(new CollectionInfo(name, m.embeddingModel(), m.dimension(), c.documents(), c.chunks(),
                    c.bytesOnDisk(), m.createdAt()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized boolean delete(String name) {
        if (manifest(name).isEmpty()) {
            return false;
        }
        LuceneCollection c = open.remove(name);
        try {
            if (c != null) {
                c.close();
            }
            Path dir = root.resolve(name);
            // the manifest goes first, so a crash half-way leaves no collection that looks whole
            Files.deleteIfExists(dir.resolve(MANIFEST));
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete collection '" + name + "': " + e.getMessage(), e);
        }
        return true;
    }

    @Override
    public void upsert(String collection, List<IndexedDocument> documents) {
        try {
            collection(collection).upsert(documents);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean deleteDocument(String collection, String documentId) {
        try {
            return collection(collection).delete(documentId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public DocumentPage listDocuments(String collection, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
        try {
            return collection(collection).list(offset, limit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<ScoredChunk> denseSearch(String collection, float[] vector, int k, MetadataFilter filter) {
        try {
            return collection(collection).dense(vector, k, filter);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<ScoredChunk> lexicalSearch(String collection, String query, int k, MetadataFilter filter) {
        try {
            return collection(collection).lexical(query, k, filter);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every stored document id of a collection (scans the document list). */
    public java.util.Set<String> documentIds(String collection) {
        try {
            return collection(collection).documentIds();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LuceneCollection collection(String name) {
        LuceneCollection c = open.get(name);
        if (c != null) {
            return c;
        }
        synchronized (this) {
            c = open.get(name);
            if (c != null) {
                return c;
            }
            Manifest m = manifest(name).orElseThrow(() -> new CollectionNotFoundException(name));
            try {
                c = new LuceneCollection(root.resolve(name).resolve("index"), m.dimension());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open collection '" + name + "': " + e.getMessage(), e);
            }
            open.put(name, c);
            return c;
        }
    }

    private record Manifest(String embeddingModel, int dimension, Instant createdAt) {
    }

    private Optional<Manifest> manifest(String name) {
        try {
            checkName(name);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Path file = root.resolve(name).resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            var node = JSON.readTree(Files.readString(file));
            return Optional.of(new Manifest(node.get("embedding_model").asString(), node.get("dimension").asInt(),
                    Instant.parse(node.get("created_at").asString())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        List<Exception> failures = new ArrayList<>();
        for (LuceneCollection c : open.values()) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        }
        open.clear();
        if (!failures.isEmpty()) {
            UncheckedIOException e = new UncheckedIOException(new IOException("closing collections failed", failures.getFirst()));
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }
}
