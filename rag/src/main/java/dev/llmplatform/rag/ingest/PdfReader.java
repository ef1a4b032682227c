package dev.llmplatform.rag.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/** PDF text page by page (PDFBox), with each page's start offset kept so citations can name the page. */
final class PdfReader {
    private PdfReader() {
    }

    static SourceDocument read(byte[] bytes, String name) {
        try (PDDocument pdf = Loader.loadPDF(bytes)) {
            if (pdf.isEncrypted() && !pdf.getCurrentAccessPermission().canExtractContent()) {
                throw new IngestException("'" + name + "' is encrypted; its text cannot be extracted");
            }
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            StringBuilder text = new StringBuilder();
            List<Integer> pageStarts = new ArrayList<>();
            int pages = pdf.getNumberOfPages();
            for (int p = 1; p <= pages; p++) {
                stripper.setStartPage(p);
                stripper.setEndPage(p);
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                pageStarts.add(text.length());
                text.append(stripper.getText(pdf).strip());
            }
            String title = pdf.getDocumentInformation() != null ? pdf.getDocumentInformation().getTitle() : null;
            if (title == null || title.isBlank()) {
                title = firstLine(text);
            }
            return new SourceDocument(null, title.strip(), name, text.toString(), pageStarts,
                    java.util.Map.of("pages", pages));
        } catch (IOException e) {
            throw new IngestException("'" + name + "' is not a readable PDF: " + e.getMessage(), e);
        }
    }

    private static String firstLine(CharSequence text) {
        for (String line : text.toString().split("\n", 50)) {
            if (!line.isBlank()) {
                return line.length() > 200 ? line.substring(0, 200) : line;
            }
        }
        return "untitled";
    }
}
