package dev.llmplatform.rag.ingest;

/** Markdown is indexed as written (its heading lines guide the chunker); the title is the first heading. */
final class MarkdownReader {
    private MarkdownReader() {
    }

    static SourceDocument read(String text, String name) {
        String title = frontMatterTitle(text);
        for (String line : text.split("\n", 200)) {
            String l = line.strip();
            if (title == null && l.startsWith("#")) {
                title = l.replaceFirst("^#+\\s*", "").strip();
                if (!title.isEmpty()) {
                    break;
                }
                title = null;
            }
        }
        return SourceDocument.of(null, title != null ? title : DocumentParser.stripExtension(name), name, text);
    }

    /** {@code title:} in a leading YAML front-matter block (--- ... ---), as static site generators use. */
    private static String frontMatterTitle(String text) {
        if (!text.startsWith("---\n") && !text.startsWith("---\r\n")) {
            return null;
        }
        int end = text.indexOf("\n---", 3);
        if (end < 0) {
            return null;
        }
        for (String line : text.substring(4, end).split("\n")) {
            if (line.startsWith("title:")) {
                String t = line.substring(6).strip().replaceAll("^[\"']|[\"']$", "");
                return t.isEmpty() ? null : t;
            }
        }
        return null;
    }
}
