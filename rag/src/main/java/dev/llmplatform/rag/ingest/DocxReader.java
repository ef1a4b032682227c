package dev.llmplatform.rag.ingest;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;

/** Word documents (Apache POI): paragraphs in order, heading styles as Markdown headings, tables as rows. */
final class DocxReader {
    private DocxReader() {
    }

    static SourceDocument read(byte[] bytes, String name) {
        try (XWPFDocument doc = new XWPFDocument(new ByteArrayInputStream(bytes))) {
            StringBuilder text = new StringBuilder();
            String firstHeading = null;
            for (IBodyElement element : doc.getBodyElements()) {
                if (element instanceof XWPFParagraph p) {
                    String t = p.getText().strip();
                    if (t.isEmpty()) {
                        continue;
                    }
                    int level = headingLevel(p.getStyle());
                    if (level > 0 && firstHeading == null) {
                        firstHeading = t;
                    }
                    text.append(level > 0 ? "#".repeat(level) + " " : "").append(t).append("\n\n");
                } else if (element instanceof XWPFTable table) {
                    for (XWPFTableRow row : table.getRows()) {
                        List<XWPFTableCell> cells = row.getTableCells();
                        StringBuilder line = new StringBuilder();
                        for (XWPFTableCell cell : cells) {
                            line.append(line.isEmpty() ? "" : " | ").append(cell.getText().strip());
                        }
                        text.append(line).append('\n');
                    }
                    text.append('\n');
                }
            }
            String title = doc.getProperties().getCoreProperties().getTitle();
            if (title == null || title.isBlank()) {
                title = firstHeading != null ? firstHeading : DocumentParser.stripExtension(name);
            }
            return SourceDocument.of(null, title, name, text.toString().strip());
        } catch (Exception e) {
            // POI signals a non-DOCX file with unchecked exceptions as well as IOException
            throw new IngestException("'" + name + "' is not a readable DOCX file: " + e.getMessage(), e);
        }
    }

    /** "Title" → 1, "Heading1".."Heading6" (style ids) → 1..6, anything else → 0. */
    private static int headingLevel(String style) {
        if (style == null) {
            return 0;
        }
        if (style.equalsIgnoreCase("Title")) {
            return 1;
        }
        if (style.regionMatches(true, 0, "Heading", 0, 7) && style.length() > 7 && Character.isDigit(style.charAt(7))) {
            return Math.min(6, style.charAt(7) - '0');
        }
        return 0;
    }
}
