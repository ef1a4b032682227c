package dev.llmplatform.rag.store.lucene;

import dev.llmplatform.rag.store.CollectionCatalog;
import dev.llmplatform.rag.store.CollectionInfo;
import dev.llmplatform.rag.store.CollectionMetadata;
import dev.llmplatform.rag.store.CollectionNotFoundException;
import dev.llmplatform.rag.store.CollectionStore;
import dev.llmplatform.rag.store.DocumentPage;
import dev.llmplatform.rag.store.IndexedDocument;
import dev.llmplatform.rag.store.MetadataFilter;
import dev.llmplatform.rag.store.ScoredChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Collections as directories under one root, each {@code NAME/index/} (the Lucene index), with what each
 * collection was created with (embedding model, dimension, creation time) in a {@link CollectionCatalog}:
 * the state database in the server, {@code NAME/collection.json} files ({@link ManifestFileCatalog}) by
 * default. Indexes are opened on first use and kept open — one writer per collection per process — until
 * the store closes.
 */
public final class LuceneCollectionStore implements CollectionStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final Path root;
    private final CollectionCatalog catalog;
    private final Map<String, LuceneCollection> open = new ConcurrentHashMap<>();

    /** A store whose catalog is the {@code collection.json} files under {@code root}. */
    public LuceneCollectionStore(Path root) {
        this(root, new ManifestFileCatalog(root));
    }

    public LuceneCollectionStore(Path root, CollectionCatalog catalog) {
        this.root = root;
        this.catalog = catalog;
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
        if (catalog.find(name).isPresent()) {
            throw new IllegalArgumentException("collection '" + name + "' already exists");
        }
        Path index = root.resolve(name).resolve("index");
        try {
            // An index left behind by a delete that crashed half-way belongs to no collection: start empty.
            deleteRecursively(index);
            Files.createDirectories(index);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create collection '" + name + "': " + e.getMessage(), e);
        }
        catalog.add(new CollectionMetadata(name, embeddingModel, dimension, Instant.now()));
        return describe(name).orElseThrow();
    }

    @Override
    public List<CollectionInfo> list() {
        List<CollectionInfo> out = new ArrayList<>();
        for (CollectionMetadata m : catalog.list()) {
            describe(m.name()).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public Optional<CollectionInfo> describe(String name) {
        Optional<CollectionMetadata> metadata = metadata(name);
        if (metadata.isEmpty()) {
            return Optional.empty();
        }
        CollectionMetadata m = metadata.get();
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
        if (metadata(name).isEmpty()) {
            return false;
        }
        LuceneCollection c = open.remove(name);
        try {
            if (c != null) {
                c.close();
            }
            // the catalog entry goes first, so a crash half-way leaves no collection that looks whole
            catalog.remove(name);
            deleteRecursively(root.resolve(name));
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
            CollectionMetadata m = metadata(name).orElseThrow(() -> new CollectionNotFoundException(name));
            try {
                c = new LuceneCollection(root.resolve(name).resolve("index"), m.dimension());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open collection '" + name + "': " + e.getMessage(), e);
            }
            open.put(name, c);
            return c;
        }
    }

    private Optional<CollectionMetadata> metadata(String name) {
        try {
            checkName(name);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return catalog.find(name);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
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
