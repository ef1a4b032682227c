package dev.llmplatform.api.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.api.config.DataHome;
import dev.llmplatform.api.registry.FakeHub;
import dev.llmplatform.api.registry.ModelFileInfo;
import dev.llmplatform.api.registry.ModelRegistry;
import dev.llmplatform.api.registry.RegistryEntry;
import dev.llmplatform.api.registry.SidecarFiles;
import dev.llmplatform.guardrails.audit.AuditEvent;
import dev.llmplatform.guardrails.audit.AuditQuery;
import dev.llmplatform.guardrails.audit.JsonlAuditStore;
import dev.llmplatform.rag.store.CollectionMetadata;
import dev.llmplatform.rag.store.lucene.LuceneCollectionStore;
import dev.llmplatform.rag.store.lucene.ManifestFileCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What earlier versions kept in files is imported into the state database once, and the stores then use it. */
class FileImportTest {
    @TempDir
    Path home;

    @Test
    void sidecarsManifestsAndTheJsonlTrailAreImportedOnce() throws Exception {
        // Files as an earlier version left them.
        Path models = Files.createDirectories(home.resolve("models"));
        byte[] bytes = FakeHub.tinyGguf(home, "x.gguf", 640, 5);
        Path model = Files.write(models.resolve("tiny.gguf"), bytes);
        ModelFileInfo pulled = new ModelFileInfo(FakeHub.sha256(bytes), bytes.length, Files.getLastModifiedTime(model).toMillis(),
                true, "hf://acme/tiny/tiny.gguf");
        new SidecarFiles().write(model, pulled);
        Path part = Files.writeString(models.resolve("half.gguf.part"), "GGUF");
        new SidecarFiles().write(part, new ModelFileInfo("b".repeat(64), 1000, -1, false, "hf://acme/half/half.gguf"));
        Instant created = Instant.parse("2026-02-01T08:00:00Z");
        new ManifestFileCatalog(home.resolve("collections")).add(new CollectionMetadata("handbook", "all-MiniLM-L6-v2", 384, created));
        try (JsonlAuditStore jsonl = JsonlAuditStore.withDefaults(home.resolve("audit"))) {
            for (int i = 0; i < 3; i++) {
                jsonl.record(JdbcAuditStoreTest.event(i, "EMAIL_ADDRESS", "redact"));
            }
        }

        try (StateDatabaseFixture db = new StateDatabaseFixture(home)) {
            var fileStore = new JdbcModelFileStore(db.pool, Clock.systemUTC());
            var catalog = new JdbcCollectionCatalog(db.pool);
            var audit = new JdbcAuditStore(db.pool, AuditRetention.of(0, Duration.ZERO), Clock.systemUTC());
            FileImport fileImport = new FileImport(db.pool, Clock.systemUTC());

            Map<String, Integer> first = fileImport.importAll(new DataHome(home), fileStore, catalog, audit);
            assertThat(first).containsExactly(Map.entry(FileImport.MODEL_SIDECARS, 2), Map.entry(FileImport.COLLECTION_MANIFESTS, 1),
                    Map.entry(FileImport.AUDIT_JSONL, 3));
            // A second start imports nothing again, even though the files are still there.
            assertThat(fileImport.importAll(new DataHome(home), fileStore, catalog, audit)).isEmpty();
            assertThat(models.resolve("tiny.gguf.llmp")).exists();

            // Sidecars are gone from disk from here on: what the registry shows comes from the database.
            Files.delete(models.resolve("tiny.gguf.llmp"));
            Files.delete(models.resolve("half.gguf.part.llmp"));
            RegistryEntry tiny = new ModelRegistry(models, fileStore).find("tiny").orElseThrow();
            assertThat(tiny.source()).isEqualTo("hf://acme/tiny/tiny.gguf");
            assertThat(tiny.verified()).isTrue();
            assertThat(tiny.sha256()).isEqualTo(FakeHub.sha256(bytes));
            assertThat(fileStore.read(part)).contains(new ModelFileInfo("b".repeat(64), 1000, -1, false, "hf://acme/half/half.gguf"));

            assertThat(catalog.list()).containsExactly(new CollectionMetadata("handbook", "all-MiniLM-L6-v2", 384, created));
            assertThat(audit.query(new AuditQuery(null, null, null, 0, 10)).events()).extracting(AuditEvent::keyId)
                    .containsExactly("key_2", "key_1", "key_0");
        }
    }

    @Test
    void aModelPulledByTheCommandLineLaterIsAdoptedFromItsSidecar() throws Exception {
        Path models = Files.createDirectories(home.resolve("models"));
        try (StateDatabaseFixture db = new StateDatabaseFixture(home)) {
            var fileStore = new JdbcModelFileStore(db.pool, Clock.systemUTC());
            Path model = Files.write(models.resolve("late.gguf"), FakeHub.tinyGguf(home, "x.gguf", 640, 9));
            ModelFileInfo info = new ModelFileInfo("c".repeat(64), Files.size(model), Files.getLastModifiedTime(model).toMillis(),
                    true, "hf://acme/late/late.gguf");
            new SidecarFiles().write(model, info);
            assertThat(fileStore.read(model)).contains(info);
            // Adopted: the row stays when the sidecar goes; removing the model forgets both.
            Files.delete(SidecarFiles.of(model));
            assertThat(fileStore.read(model)).contains(info);
            new ModelRegistry(models, fileStore).remove("late");
            assertThat(fileStore.read(model)).isEmpty();
        }
    }

    @Test
    void collectionsRecordedInTheDatabaseBackTheLuceneStore() {
        try (StateDatabaseFixture db = new StateDatabaseFixture(home);
             LuceneCollectionStore store = new LuceneCollectionStore(home.resolve("collections"), new JdbcCollectionCatalog(db.pool))) {
            store.create("notes", "all-MiniLM-L6-v2", 384);
            assertThat(store.list()).singleElement().satisfies(c -> {
                assertThat(c.name()).isEqualTo("notes");
                assertThat(c.dimension()).isEqualTo(384);
            });
            assertThat(home.resolve("collections/notes/collection.json")).doesNotExist();
            assertThatThrownBy(() -> store.create("notes", "all-MiniLM-L6-v2", 384)).hasMessageContaining("already exists");
            assertThat(store.delete("notes")).isTrue();
            assertThat(new JdbcCollectionCatalog(db.pool).list()).isEmpty();
            assertThat(home.resolve("collections/notes")).doesNotExist();
        }
    }
}
