package dev.llmplatform.rag.ingest;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Bytes of a file in, documents out: picks the reader by format and applies what every format shares
 * (empty input refused, ids derived from the content hash when not given).
 */
public final class DocumentParser {
    private final JsonRecords.Fields jsonFields;

    public DocumentParser() {
        this(JsonRecords.Fields.DEFAULT);
    }

    public DocumentParser(JsonRecords.Fields jsonFields) {
        this.jsonFields = jsonFields;
    }

    /**
     * @param fileName the name the format is recognised by when {@code format} is null; also the title of
     *                 last resort and the default source
     * @param format   the format, or null to go by the file name's extension
     * @param id       the document id for single-document formats, or null to use the content hash
     */
    public List<SourceDocument> parse(String fileName, DocumentFormat format, byte[] bytes, String id) {
        DocumentFormat f = format != null ? format : DocumentFormat.ofFileName(fileName).orElseThrow(() ->
                new IngestException("unknown document format for '" + fileName + "': expected one of .txt, .md, .html,"
                        + " .pdf, .docx, .json, .jsonl"));
        if (bytes.length == 0) {
            throw new IngestException("'" + fileName + "' is empty");
        }
        String name = fileName == null ? "document" : fileName;
        List<SourceDocument> docs = switch (f) {
            case TEXT -> List.of(SourceDocument.of(null, stripExtension(name), name, utf8(bytes, name)));
            case MARKDOWN -> List.of(MarkdownReader.read(utf8(bytes, name), name));
            case HTML -> List.of(HtmlReader.read(bytes, name));
            case PDF -> List.of(PdfReader.read(bytes, name));
            case DOCX -> List.of(DocxReader.read(bytes, name));
            case JSON -> JsonRecords.readJson(utf8(bytes, name), name, jsonFields);
            case JSONL -> JsonRecords.readJsonLines(utf8(bytes, name), name, jsonFields);
        };
        List<SourceDocument> out = new ArrayList<>(docs.size());
        for (SourceDocument d : docs) {
            if (d.text().isBlank()) {
                throw new IngestException("'" + name + "' contains no text" + (docs.size() > 1 ? " in one of its records" : ""));
            }
            String docId = docs.size() == 1 && id != null && !id.isBlank() ? id : d.id();
            Map<String, Object> meta = new LinkedHashMap<>(d.metadata());
            meta.putIfAbsent("format", f.name().toLowerCase());
            out.add(new SourceDocument(docId != null ? docId : contentId(d.text()), d.title(), d.source(), d.text(),
                    d.pageStarts(), meta));
        }
        return out;
    }

    /** A stable id for content without one: the first 128 bits of its SHA-256, in hex. */
    public static String contentId(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String stripExtension(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    /** Strict UTF-8: a binary file sent as text is refused rather than indexed as mojibake. */
    static String utf8(byte[] bytes, String name) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            throw new IngestException("'" + name + "' is not valid UTF-8 text");
        }
    }
}
