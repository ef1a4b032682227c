package dev.llmplatform.rag.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * HTML's main text: navigation, headers, footers, scripts and forms removed; the {@code main} or
 * {@code article} element when there is one; headings kept as Markdown heading lines so chunks break
 * at sections; block elements separated by blank lines; {@code pre} keeps its line breaks.
 */
final class HtmlReader {
    private static final Set<String> BLOCKS = Set.of("p", "div", "li", "ul", "ol", "pre", "blockquote", "table",
            "tr", "td", "th", "dt", "dd", "dl", "section", "article", "main", "figure", "figcaption", "br", "hr",
            "h1", "h2", "h3", "h4", "h5", "h6");

    private HtmlReader() {
    }

    static SourceDocument read(byte[] bytes, String name) {
        Document doc = Jsoup.parse(new String(bytes, sniffCharset(bytes)));
        doc.select("script, style, noscript, nav, header, footer, aside, form, template, iframe").remove();
        Element root = doc.selectFirst("main, article, [role=main]");
        if (root == null) {
            root = doc.body();
        }
        String title = doc.title().strip();
        if (title.isEmpty()) {
            Element h = doc.selectFirst("h1, h2");
            title = h != null ? h.text().strip() : DocumentParser.stripExtension(name);
        }
        StringBuilder out = new StringBuilder();
        NodeTraversor.traverse(new Extractor(out), root);
        String text = out.toString()
                .replaceAll("[ \\t\\x0B\\f\\r]+\\n", "\n")
                .replaceAll("\\n{3,}", "\n\n")
                .strip();
        return SourceDocument.of(null, title, name, text);
    }

    /** Most pages declare UTF-8; older ones are Latin-1, which every byte sequence decodes as. */
    private static java.nio.charset.Charset sniffCharset(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 2048), StandardCharsets.ISO_8859_1).toLowerCase();
        if (head.contains("charset=iso-8859-1") || head.contains("charset=\"iso-8859-1") || head.contains("windows-1252")) {
            return StandardCharsets.ISO_8859_1;
        }
        return StandardCharsets.UTF_8;
    }

    private static final class Extractor implements NodeVisitor {
        private final StringBuilder out;
        private int preDepth;

        Extractor(StringBuilder out) {
            this.out = out;
        }

        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode t) {
                if (preDepth > 0) {
                    out.append(t.getWholeText());
                } else {
                    String s = t.text();
                    boolean atBreak = out.isEmpty() || Character.isWhitespace(out.charAt(out.length() - 1));
                    out.append(atBreak ? s.stripLeading() : s);
                }
            } else if (node instanceof Element e) {
                String tag = e.normalName();
                if (BLOCKS.contains(tag)) {
                    out.append("\n\n");
                }
                if (tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1))) {
                    out.append("#".repeat(tag.charAt(1) - '0')).append(' ');
                }
                if (tag.equals("pre")) {
                    preDepth++;
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element e) {
                if (e.normalName().equals("pre")) {
                    preDepth--;
                }
                if (BLOCKS.contains(e.normalName())) {
                    out.append("\n\n");
                }
            }
        }
    }
}
