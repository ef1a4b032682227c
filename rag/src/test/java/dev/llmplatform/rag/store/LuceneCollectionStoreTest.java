package dev.llmplatform.rag.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static dev.llmplatform.rag.store.ToyDocuments.doc;
import static dev.llmplatform.rag.store.ToyDocuments.unit;

import dev.llmplatform.rag.store.lucene.LuceneCollectionStore;
import dev.llmplatform.rag.store.lucene.ManifestFileCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Lucene store on its own, with small hand-made unit vectors (dimension 4). */
class LuceneCollectionStoreTest {
    @TempDir
    Path dir;
    private LuceneCollectionStore store;

    @BeforeEach
    void open() {
        store = new LuceneCollectionStore(dir);
        store.create("c", "toy-model", 4);
    }

    @AfterEach
    void close() {
        store.close();
    }



    @Test
    void aCollectionCreatedAfterAHalfFinishedDeleteStartsEmpty() {
        store.upsert("c", List.of(doc("a", Map.of(), "alpha one")));
        store.close();
        // A delete that removed the catalog entry but crashed before the index went.
        assertThat(new ManifestFileCatalog(dir).remove("c")).isTrue();
        store = new LuceneCollectionStore(dir);
        assertThat(store.describe("c")).isEmpty();
        store.create("c", "toy-model", 4);
        assertThat(store.describe("c").orElseThrow().documents()).isZero();
    }

    @Test
    void createListDescribeDelete() {
        store.create("other", "toy-model", 4);
        assertThat(store.list()).extracting(CollectionInfo::name).containsExactly("c", "other");
        store.upsert("c", List.of(doc("a", Map.of(), "alpha one", "alpha two"), doc("b", Map.of(), "beta")));
        CollectionInfo info = store.describe("c").orElseThrow();
        assertThat(info.documents()).isEqualTo(2);
        assertThat(info.chunks()).isEqualTo(3);
        assertThat(info.bytes()).isPositive();
        assertThat(info.embeddingModel()).isEqualTo("toy-model");
        assertThat(info.dimension()).isEqualTo(4);
        assertThat(store.delete("other")).isTrue();
        assertThat(store.delete("other")).isFalse();
        assertThat(store.describe("other")).isEmpty();
        assertThat(dir.resolve("other")).doesNotExist();
        assertThatThrownBy(() -> store.create("c", "toy-model", 4)).hasMessageContaining("already exists");
        assertThatThrownBy(() -> store.create("../x", "toy-model", 4)).hasMessageContaining("invalid collection name");
        assertThatThrownBy(() -> store.upsert("missing", List.of(doc("a", Map.of(), "x"))))
                .isInstanceOf(CollectionNotFoundException.class);
    }

    @Test
    void reingestingAnIdReplacesItsChunksAndDeleteRemovesThem() {
        store.upsert("c", List.of(doc("a", Map.of(), "old one", "old two", "old three")));
        store.upsert("c", List.of(doc("a", Map.of(), "new only")));
        assertThat(store.describe("c").orElseThrow().chunks()).isEqualTo(1);
        assertThat(store.lexicalSearch("c", "old", 10, null)).isEmpty();
        assertThat(store.lexicalSearch("c", "new", 10, null)).singleElement()
                .satisfies(h -> assertThat(h.chunk().text()).isEqualTo("new only"));
        DocumentPage page = store.listDocuments("c", 0, 10);
        assertThat(page.total()).isEqualTo(1);
        assertThat(page.documents().getFirst().chunks()).isEqualTo(1);
        assertThat(store.deleteDocument("c", "a")).isTrue();
        assertThat(store.deleteDocument("c", "a")).isFalse();
        assertThat(store.describe("c").orElseThrow().chunks()).isZero();
    }

    @Test
    void documentsArePagedInIdOrder() {
        List<IndexedDocument> docs = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            docs.add(doc(String.format("d%02d", 24 - i), Map.of(), "text " + i));
        }
        store.upsert("c", docs);
        DocumentPage second = store.listDocuments("c", 10, 10);
        assertThat(second.total()).isEqualTo(25);
        assertThat(second.documents()).extracting(DocumentSummary::id)
                .containsExactly("d10", "d11", "d12", "d13", "d14", "d15", "d16", "d17", "d18", "d19");
        assertThat(store.listDocuments("c", 20, 10).documents()).hasSize(5);
        assertThat(store.listDocuments("c", 30, 10).documents()).isEmpty();
    }

    @Test
    void aVectorOfAnotherDimensionIsRefusedAndNothingIsStored() {
        IndexedDocument bad = new IndexedDocument("x", "", "", Map.of(),
                List.of(new ChunkRecord(0, "t", 0, 1, null, new float[] {1, 0, 0})));
        assertThatThrownBy(() -> store.upsert("c", List.of(doc("ok", Map.of(), "fine"), bad)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 dimensions");
        assertThat(store.describe("c").orElseThrow().chunks()).isZero();
    }

    @Test
    void denseSearchRanksByCosine() {
        store.upsert("c", List.of(
                new IndexedDocument("x", "", "", Map.of(), List.of(new ChunkRecord(0, "x", 0, 1, null, unit(1, 0, 0, 0)))),
                new IndexedDocument("y", "", "", Map.of(), List.of(new ChunkRecord(0, "y", 0, 1, null, unit(0, 1, 0, 0)))),
                new IndexedDocument("xy", "", "", Map.of(), List.of(new ChunkRecord(0, "xy", 0, 1, null, unit(1, 1, 0, 0))))));
        List<ScoredChunk> hits = store.denseSearch("c", unit(1, 0.1f, 0, 0), 3, null);
        assertThat(hits).extracting(h -> h.chunk().documentId()).containsExactly("x", "xy", "y");
        assertThat(hits.getFirst().score()).isCloseTo(0.995f, org.assertj.core.data.Offset.offset(0.01f));
        assertThat(hits.getFirst().chunk().vector()).containsExactly(unit(1, 0, 0, 0));
    }

    @Test
    void everyFilterOperator() {
        store.upsert("c", List.of(
                doc("a", Map.of("dept", "hr", "year", 2021, "tags", List.of("policy", "leave"), "draft", false), "alpha"),
                doc("b", Map.of("dept", "it", "year", 2023, "tags", List.of("security")), "beta"),
                doc("c", Map.of("dept", "hr", "year", 2024.5, "tags", List.of("policy")), "gamma"),
                doc("d", Map.of("dept", "legal"), "delta", "delta two")));
        assertThat(ids(Map.of("dept", "hr"))).containsExactly("a", "c");
        assertThat(ids(Map.of("dept", Map.of("$eq", "it")))).containsExactly("b");
        assertThat(ids(Map.of("dept", Map.of("$ne", "hr")))).containsExactly("b", "d");
        assertThat(ids(Map.of("dept", Map.of("$in", List.of("it", "legal"))))).containsExactly("b", "d");
        assertThat(ids(Map.of("dept", Map.of("$nin", List.of("it", "legal"))))).containsExactly("a", "c");
        assertThat(ids(Map.of("tags", "policy"))).containsExactly("a", "c");
        assertThat(ids(Map.of("year", 2023))).containsExactly("b");
        assertThat(ids(Map.of("year", Map.of("$gte", 2023)))).containsExactly("b", "c");
        assertThat(ids(Map.of("year", Map.of("$gt", 2023)))).containsExactly("c");
        assertThat(ids(Map.of("year", Map.of("$lt", 2023)))).containsExactly("a");
        assertThat(ids(Map.of("year", Map.of("$lte", 2023, "$gt", 2000)))).containsExactly("a", "b");
        assertThat(ids(Map.of("draft", false))).containsExactly("a");
        assertThat(ids(Map.of("$and", List.of(Map.of("dept", "hr"), Map.of("year", Map.of("$gt", 2022)))))).containsExactly("c");
        assertThat(ids(Map.of("$or", List.of(Map.of("dept", "it"), Map.of("tags", "leave"))))).containsExactly("a", "b");
        assertThat(ids(Map.of("$not", Map.of("tags", "policy")))).containsExactly("b", "d");
        assertThat(ids(Map.of("dept", "hr", "tags", "leave"))).containsExactly("a");
        // built-in fields: document id, source, page
        assertThat(ids(Map.of("document_id", "b"))).containsExactly("b");
        assertThat(ids(Map.of("source", "src/d.txt"))).containsExactly("d");
        assertThat(store.lexicalSearch("c", "delta", 10, MetadataFilter.parse(Map.of("page", 2))))
                .singleElement().satisfies(h -> assertThat(h.chunk().text()).isEqualTo("delta two"));
    }

    @Test
    void malformedFiltersAreExplained() {
        assertThatThrownBy(() -> MetadataFilter.parse(List.of())).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> MetadataFilter.parse(Map.of("$xor", List.of()))).hasMessageContaining("unknown filter operator");
        assertThatThrownBy(() -> MetadataFilter.parse(Map.of("y", Map.of("$gt", "x")))).hasMessageContaining("takes a number");
        assertThatThrownBy(() -> MetadataFilter.parse(Map.of("y", Map.of("$in", List.of())))).hasMessageContaining("non-empty array");
        assertThatThrownBy(() -> MetadataFilter.parse(Map.of("y", Map.of("$like", "x")))).hasMessageContaining("unknown operator");
    }

    @Test
    void everythingSurvivesClosingAndReopening() {
        store.upsert("c", List.of(doc("a", Map.of("k", "v"), "persisted text")));
        store.close();
        store = new LuceneCollectionStore(dir);
        assertThat(store.describe("c").orElseThrow().documents()).isEqualTo(1);
        ScoredChunk hit = store.lexicalSearch("c", "persisted", 1, null).getFirst();
        assertThat(hit.chunk().metadata()).containsEntry("k", "v");
        assertThat(hit.chunk().title()).isEqualTo("Title a");
        assertThat(hit.chunk().source()).isEqualTo("src/a.txt");
        assertThat(hit.chunk().page()).isEqualTo(1);
    }

    /** Documents with a chunk matching the filter (every chunk matches "*" through dense search). */
    private List<String> ids(Map<String, Object> filter) {
        Set<String> out = new TreeSet<>();
        store.denseSearch("c", unit(1, 0, 0, 0), 100, MetadataFilter.parse(filter))
                .forEach(h -> out.add(h.chunk().documentId()));
        return out.stream().collect(Collectors.toList());
    }
}
