package dev.llmplatform.rag.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A document's extracted text with what citations need.
 *
 * @param id         the document id, or null to derive one from the content hash
 * @param title      a human title (file title, first heading, or the file name)
 * @param source     where it came from: a path, URL or upload name
 * @param text       the extracted text; headings are kept as Markdown heading lines
 * @param pageStarts for paged formats, the character offset at which page {@code i + 1} begins
 *                   (ascending, first 0); empty when the format has no pages
 * @param metadata   further key/values (strings, numbers, booleans, lists of those)
 */
public record SourceDocument(String id, String title, String source, String text, List<Integer> pageStarts,
                             Map<String, Object> metadata) {
    public SourceDocument {
        pageStarts = List.copyOf(pageStarts);
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public static SourceDocument of(String id, String title, String source, String text) {
        return new SourceDocument(id, title, source, text, List.of(), Map.of());
    }

    public SourceDocument withId(String newId) {
        return new SourceDocument(newId, title, source, text, pageStarts, metadata);
    }

    public SourceDocument withMetadata(Map<String, Object> extra) {
        Map<String, Object> merged = new LinkedHashMap<>(metadata);
        merged.putAll(extra);
        return new SourceDocument(id, title, source, text, pageStarts, merged);
    }

    /** The 1-based page holding character {@code offset}, or null for unpaged documents. */
    public Integer pageAt(int offset) {
        if (pageStarts.isEmpty()) {
            return null;
        }
        int page = 1;
        for (int i = 1; i < pageStarts.size(); i++) {
            if (pageStarts.get(i) <= offset) {
                page = i + 1;
            } else {
                break;
            }
        }
        return page;
    }
}
