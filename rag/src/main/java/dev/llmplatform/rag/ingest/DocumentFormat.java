package dev.llmplatform.rag.ingest;

import java.util.Locale;
import java.util.Optional;

/** The document formats ingestion reads, recognised by file extension or media type. */
public enum DocumentFormat {
    TEXT("text/plain", "txt", "text", "log", "csv"),
    MARKDOWN("text/markdown", "md", "markdown"),
    HTML("text/html", "html", "htm", "xhtml"),
    PDF("application/pdf", "pdf"),
    DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    JSON("application/json", "json"),
    JSONL("application/jsonl", "jsonl", "ndjson");

    private final String mediaType;
    private final String[] extensions;

    DocumentFormat(String mediaType, String... extensions) {
        this.mediaType = mediaType;
        this.extensions = extensions;
    }

    public String mediaType() {
        return mediaType;
    }

    /** By the file name's extension, case-insensitively. */
    public static Optional<DocumentFormat> ofFileName(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        for (DocumentFormat f : values()) {
            for (String e : f.extensions) {
                if (e.equals(ext)) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    /** By a name as users write it: {@code pdf}, {@code markdown}, {@code jsonl}, or a media type. */
    public static Optional<DocumentFormat> ofName(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (DocumentFormat f : values()) {
            if (f.name().equalsIgnoreCase(n) || f.mediaType.equals(n)) {
                return Optional.of(f);
            }
        }
        return ofFileName("x." + n);
    }
}
