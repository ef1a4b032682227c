package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@code llmp ingest}, {@code llmp search} and {@code llmp eval-retrieval} on small files of their own. */
class RagCommandsTest {
    @TempDir
    Path dir;

    @Test
    void ingestAFolderThenSearchIt() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("leave.md"), "# Annual leave\n\nEvery employee gets thirty days of paid vacation.");
        Files.writeString(docs.resolve("travel.txt"), "Flights are booked through the travel desk.");
        Files.writeString(docs.resolve("ignored.bin"), "not a document type");
        Path home = dir.resolve("home");

        LlmpCommandTest.Result ingest = LlmpCommandTest.run("ingest", "--collection", "hr", "--data", home.toString(), docs.toString());
        assertThat(ingest.code()).as(ingest.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(lastLine(ingest.out()));
        assertThat(summary.get("documents").asInt()).isEqualTo(2);
        assertThat(summary.get("chunks").asInt()).isEqualTo(2);
        assertThat(ingest.err()).contains("created collection 'hr'").contains("2/2 docs");
        assertThat(Files.isDirectory(home.resolve("collections/hr/index"))).isTrue();

        LlmpCommandTest.Result search = LlmpCommandTest.run("search", "--collection", "hr", "--data", home.toString(),
                "--query", "how much vacation", "--mode", "dense", "--json");
        assertThat(search.code()).as(search.err()).isZero();
        JsonNode hits = new ObjectMapper().readTree(lastLine(search.out()));
        assertThat(hits.get(0).get("title").asString()).isEqualTo("Annual leave");
        assertThat(hits.get(0).get("source").asString()).endsWith("leave.md");

        Path records = Files.writeString(dir.resolve("faq.jsonl"),
                "{\"_id\": \"faq1\", \"body\": \"The canteen opens at noon.\", \"lang\": \"en\"}\n"
                        + "{\"_id\": \"faq2\", \"body\": \"Parking permits come from reception.\", \"lang\": \"en\"}\n");
        LlmpCommandTest.Result jsonl = LlmpCommandTest.run("ingest", "--collection", "hr", "--data", home.toString(),
                "--text-field", "body", records.toString());
        assertThat(jsonl.code()).as(jsonl.err()).isZero();
        assertThat(new ObjectMapper().readTree(lastLine(jsonl.out())).get("documents").asInt()).isEqualTo(2);
        LlmpCommandTest.Result canteen = LlmpCommandTest.run("search", "--collection", "hr", "--data", home.toString(),
                "--query", "when does the canteen open", "--filter", "{\"lang\": \"en\"}", "--json");
        assertThat(new ObjectMapper().readTree(lastLine(canteen.out())).get(0).get("document_id").asString()).isEqualTo("faq1");

        LlmpCommandTest.Result text = LlmpCommandTest.run("search", "--collection", "hr", "--data", home.toString(),
                "--query", "travel desk", "--mode", "bm25");
        assertThat(text.out()).startsWith("[1] ").contains("travel");
    }

    @Test
    void badInputGetsOneLine() {
        LlmpCommandTest.Result missing = LlmpCommandTest.run("search", "--collection", "nope", "--data", dir.toString(),
                "--query", "x");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err().strip()).isEqualTo("llmp: collection 'nope' does not exist");
        LlmpCommandTest.Result mode = LlmpCommandTest.run("search", "--collection", "nope", "--data", dir.toString(),
                "--query", "x", "--mode", "fuzzy");
        assertThat(mode.err()).contains("unknown search mode 'fuzzy'").doesNotContain("\tat ");
    }

    @Test
    void evalRetrievalOnATinyBeirSet() throws Exception {
        Path corpus = Files.writeString(dir.resolve("corpus.jsonl"), """
                {"_id": "d1", "title": "Vitamin D", "text": "Vitamin D deficiency is linked to weaker bones."}
                {"_id": "d2", "title": "Coffee", "text": "Coffee consumption raises alertness for a few hours."}
                {"_id": "d3", "title": "Sleep", "text": "Adults need seven to nine hours of sleep per night."}
                """);
        Path queries = Files.writeString(dir.resolve("queries.jsonl"), """
                {"_id": "q1", "text": "vitamin D and bone strength"}
                {"_id": "q2", "text": "how long should adults sleep"}
                {"_id": "q3", "text": "unjudged query"}
                """);
        Path qrels = Files.writeString(dir.resolve("qrels.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t1\n");
        LlmpCommandTest.Result r = LlmpCommandTest.run("eval-retrieval", "--corpus", corpus.toString(), "--queries",
                queries.toString(), "--qrels", qrels.toString(), "--mode", "all", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(lastLine(r.out()));
        for (String mode : new String[] {"dense", "bm25", "hybrid"}) {
            assertThat(result.get(mode).get("queries").asInt()).isEqualTo(2);
            assertThat(result.get(mode).get("ndcg@10").asDouble()).as(mode).isEqualTo(1.0);
            assertThat(result.get(mode).get("recall@100").asDouble()).isEqualTo(1.0);
        }
        LlmpCommandTest.Result one = LlmpCommandTest.run("eval-retrieval", "--corpus", corpus.toString(), "--queries",
                queries.toString(), "--qrels", qrels.toString(), "--mode", "bm25", "--json");
        JsonNode only = new ObjectMapper().readTree(lastLine(one.out()));
        assertThat(only.propertyNames()).containsExactly("bm25");
    }

    @Test
    void evalRetrievalOnSolrNeedsItsUrls() throws Exception {
        Path f = Files.writeString(dir.resolve("empty.jsonl"), "");
        LlmpCommandTest.Result r = LlmpCommandTest.run("eval-retrieval", "--corpus", f.toString(), "--queries",
                f.toString(), "--qrels", f.toString(), "--store", "solr");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--store solr needs --solr-urls").doesNotContain("Exception");
        LlmpCommandTest.Result bad = LlmpCommandTest.run("eval-retrieval", "--corpus", f.toString(), "--queries",
                f.toString(), "--qrels", f.toString(), "--store", "elastic");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("--store must be lucene or solr");
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }
}
