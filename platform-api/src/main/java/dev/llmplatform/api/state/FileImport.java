package dev.llmplatform.api.state;

import dev.llmplatform.api.config.DataHome;
import dev.llmplatform.api.registry.ModelFileInfo;
import dev.llmplatform.api.registry.SidecarFiles;
import dev.llmplatform.guardrails.audit.AuditEvent;
import dev.llmplatform.guardrails.audit.JsonlAuditStore;
import dev.llmplatform.rag.store.CollectionMetadata;
import dev.llmplatform.rag.store.lucene.ManifestFileCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports what earlier versions kept in files under the data home into the state database, once per kind:
 * model sidecars ({@code models/*.gguf.llmp}), collection manifests ({@code collections/NAME/collection.json})
 * and the JSON-lines audit trail ({@code audit/audit-NNNNNN.jsonl}). Each kind is imported in one
 * transaction together with its {@code file_imports} row, so a crash imports all or nothing and the next
 * start retries; a second node starting on the same database at the same time loses the race on that row
 * and rolls back. The files are left where they are (nothing on disk is deleted).
 */
public final class FileImport {
    public static final String MODEL_SIDECARS = "model-sidecars";
    public static final String COLLECTION_MANIFESTS = "collection-manifests";
    public static final String AUDIT_JSONL = "audit-jsonl";
    private static final Logger log = LoggerFactory.getLogger(FileImport.class);
    private static final int AUDIT_BATCH = 500;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public FileImport(DataSource dataSource, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.clock = clock;
    }

    /**
     * Imports every kind not imported yet into the given stores (which must use this import's data source,
     * so they take part in its transactions). Returns the number of items imported, by kind; a kind already
     * imported is absent.
     */
    public Map<String, Integer> importAll(DataHome home, JdbcModelFileStore models, JdbcCollectionCatalog collections,
                                          JdbcAuditStore audit) {
        Map<String, Integer> imported = new LinkedHashMap<>();
        once(MODEL_SIDECARS, () -> importSidecars(home.root().resolve("models"), models)).ifPresent(n -> imported.put(MODEL_SIDECARS, n));
        once(COLLECTION_MANIFESTS, () -> importManifests(home.root().resolve("collections"), collections))
                .ifPresent(n -> imported.put(COLLECTION_MANIFESTS, n));
        once(AUDIT_JSONL, () -> importAudit(home.root().resolve("audit"), audit)).ifPresent(n -> imported.put(AUDIT_JSONL, n));
        imported.forEach((kind, n) -> {
            if (n > 0) {
                log.info("Imported {} {} from files under {} into the state database (the files are kept).", n, kind, home.root());
            }
        });
        return imported;
    }

    /** Runs {@code work} and records {@code kind} as imported, in one transaction, unless it was already. */
    Optional<Integer> once(String kind, IntSupplier work) {
        if (imported(kind)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(transactions.execute(status -> {
                int n = work.getAsInt();
                jdbc.sql("INSERT INTO file_imports (kind, imported_at, items) VALUES (?, ?, ?)")
                        .params(kind, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC), n).update();
                return n;
            }));
        } catch (RuntimeException e) {
            if (imported(kind)) {
                return Optional.empty(); // another node imported the same files meanwhile; ours rolled back
            }
            throw e;
        }
    }

    boolean imported(String kind) {
        return jdbc.sql("SELECT COUNT(*) FROM file_imports WHERE kind = ?").param(kind).query(Integer.class).single() > 0;
    }

    private static int importSidecars(Path dir, JdbcModelFileStore models) {
        SidecarFiles sidecars = new SidecarFiles();
        int n = 0;
        for (Path sidecar : list(dir).stream().filter(SidecarFiles::isSidecar).toList()) {
            Path file = SidecarFiles.describedBy(sidecar);
            Optional<ModelFileInfo> info = sidecars.read(file);
            if (info.isPresent()) {
                models.write(file, info.get());
                n++;
            }
        }
        return n;
    }

    private static int importManifests(Path dir, JdbcCollectionCatalog collections) {
        int n = 0;
        for (CollectionMetadata c : new ManifestFileCatalog(dir).list()) {
            if (collections.find(c.name()).isEmpty()) {
                collections.add(c);
                n++;
            }
        }
        return n;
    }

    private static int importAudit(Path dir, JdbcAuditStore audit) {
        List<AuditEvent> pending = new ArrayList<>();
        int[] n = {0};
        JsonlAuditStore.forEachEvent(dir, e -> {
            pending.add(e);
            if (pending.size() == AUDIT_BATCH) {
                audit.recordAll(pending);
                n[0] += pending.size();
                pending.clear();
            }
        });
        audit.recordAll(pending);
        return n[0] + pending.size();
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
