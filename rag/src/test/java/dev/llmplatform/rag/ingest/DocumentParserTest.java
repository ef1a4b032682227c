package dev.llmplatform.rag.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.testing.SharedTestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.junit.jupiter.api.Test;

class DocumentParserTest {
    private final DocumentParser parser = new DocumentParser();

    @Test
    void pdfKeepsTextPerPageWithPageStarts() throws IOException {
        Path pdf = SharedTestData.require("documents/libtasn1.pdf");
        SourceDocument doc = single(parser.parse("libtasn1.pdf", null, Files.readAllBytes(pdf), null));
        assertThat(doc.pageStarts()).hasSizeGreaterThan(5);
        assertThat(doc.metadata()).containsEntry("pages", doc.pageStarts().size()).containsEntry("format", "pdf");
        assertThat(doc.text()).contains("asn1_parser2tree");
        // the function's reference entry is on a later page than the title page
        int at = doc.text().indexOf("asn1_parser2tree");
        assertThat(doc.pageAt(at)).isGreaterThan(1);
        assertThat(doc.pageAt(0)).isEqualTo(1);
        assertThat(doc.title()).isNotBlank();
        assertThat(doc.id()).hasSize(32); // derived from the content hash
    }

    @Test
    void htmlKeepsMainTextTitleAndHeadings() throws IOException {
        Path html = SharedTestData.require("documents/zlib-how.html");
        SourceDocument doc = single(parser.parse("zlib-how.html", null, Files.readAllBytes(html), "zlib"));
        assertThat(doc.id()).isEqualTo("zlib");
        assertThat(doc.title()).isEqualTo("zlib Usage Example");
        assertThat(doc.text()).startsWith("## zlib Usage Example");
        assertThat(doc.text()).contains("CHUNK").contains("Z_BUF_ERROR").doesNotContain("<tt>").doesNotContain("&lt;");
        assertThat(doc.text()).contains("#include <stdio.h>"); // pre blocks keep their lines
        assertThat(doc.pageStarts()).isEmpty();
    }

    @Test
    void htmlDropsNavigationAndScripts() {
        String html = "<html><head><title>T</title><script>var x=1;</script></head><body><nav>Home | About</nav>"
                + "<main><h1>Policy</h1><p>Expenses are approved by managers.</p></main><footer>(c) corp</footer></body></html>";
        SourceDocument doc = single(parser.parse("p.html", null, html.getBytes(StandardCharsets.UTF_8), null));
        assertThat(doc.text()).isEqualTo("# Policy\n\nExpenses are approved by managers.");
    }

    @Test
    void markdownTitleIsTheFirstHeading() throws IOException {
        Path md = SharedTestData.require("documents/systemd-distro-porting.md");
        SourceDocument doc = single(parser.parse("systemd-distro-porting.md", null, Files.readAllBytes(md), null));
        assertThat(doc.title()).isEqualTo("Porting systemd To New Distributions");
        assertThat(doc.text()).contains("configure");
        assertThat(doc.source()).isEqualTo("systemd-distro-porting.md");
    }

    @Test
    void docxParagraphsHeadingsAndTables() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (XWPFDocument doc = new XWPFDocument()) {
            doc.getProperties().getCoreProperties().setTitle("Travel policy");
            XWPFParagraph h = doc.createParagraph();
            h.setStyle("Heading1");
            h.createRun().setText("Booking");
            doc.createParagraph().createRun().setText("Book flights through the travel desk.");
            XWPFTable table = doc.createTable(2, 2);
            table.getRow(0).getCell(0).setText("Class");
            table.getRow(0).getCell(1).setText("Limit");
            table.getRow(1).getCell(0).setText("Economy");
            table.getRow(1).getCell(1).setText("500 EUR");
            doc.write(bytes);
        }
        SourceDocument doc = single(parser.parse("travel.docx", null, bytes.toByteArray(), null));
        assertThat(doc.title()).isEqualTo("Travel policy");
        assertThat(doc.text()).isEqualTo("# Booking\n\nBook flights through the travel desk.\n\nClass | Limit\nEconomy | 500 EUR");
        assertThat(doc.metadata()).containsEntry("format", "docx");
    }

    @Test
    void jsonLinesRecordsTakeTextIdTitleAndMetadata() {
        String jsonl = """
                {"_id": "a1", "title": "Leave", "text": "Staff get 30 days of leave.", "year": 2024, "tags": ["hr", "policy"]}

                {"text": "No id here.", "department": "it", "draft": true}
                """;
        List<SourceDocument> docs = parser.parse("records.jsonl", null, jsonl.getBytes(StandardCharsets.UTF_8), null);
        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).id()).isEqualTo("a1");
        assertThat(docs.get(0).title()).isEqualTo("Leave");
        assertThat(docs.get(0).text()).isEqualTo("Staff get 30 days of leave.");
        assertThat(docs.get(0).metadata()).containsEntry("year", 2024L).containsEntry("tags", List.of("hr", "policy"));
        assertThat(docs.get(1).id()).isEqualTo(DocumentParser.contentId("No id here."));
        assertThat(docs.get(1).metadata()).containsEntry("department", "it").containsEntry("draft", true);
    }

    @Test
    void jsonArrayWithAChosenTextField() {
        String json = "[{\"id\": 7, \"body\": \"Seven.\"}, {\"id\": 8, \"body\": \"Eight.\", \"text\": \"kept as metadata\"}]";
        List<SourceDocument> docs = new DocumentParser(new JsonRecords.Fields("body", "id", "title"))
                .parse("r.json", null, json.getBytes(StandardCharsets.UTF_8), null);
        assertThat(docs).extracting(SourceDocument::id).containsExactly("7", "8");
        assertThat(docs.get(1).text()).isEqualTo("Eight.");
        assertThat(docs.get(1).metadata()).containsEntry("text", "kept as metadata");
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        byte[] some = "hello".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parser.parse("a.xyz", null, some, null))
                .isInstanceOf(IngestException.class).hasMessageContaining("unknown document format");
        assertThatThrownBy(() -> parser.parse("a.txt", null, new byte[0], null))
                .isInstanceOf(IngestException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> parser.parse("a.pdf", null, "%PDF-1.7 not really".getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(IngestException.class).hasMessageContaining("not a readable PDF");
        assertThatThrownBy(() -> parser.parse("a.docx", null, some, null))
                .isInstanceOf(IngestException.class).hasMessageContaining("not a readable DOCX");
        assertThatThrownBy(() -> parser.parse("a.jsonl", null, "{\"title\": \"x\"}".getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(IngestException.class).hasMessageContaining("no string field 'text'");
        assertThatThrownBy(() -> parser.parse("a.txt", null, new byte[] {(byte) 0xff, (byte) 0xfe, 0}, null))
                .isInstanceOf(IngestException.class).hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> parser.parse("a.txt", null, "  \n ".getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(IngestException.class).hasMessageContaining("no text");
    }

    private static SourceDocument single(List<SourceDocument> docs) {
        assertThat(docs).hasSize(1);
        return docs.getFirst();
    }
}
