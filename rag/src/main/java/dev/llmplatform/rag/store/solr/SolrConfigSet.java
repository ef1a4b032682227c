package dev.llmplatform.rag.store.solr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;

/**
 * Our configset (bundled resources {@code configset/}), one per vector dimension because a Solr dense
 * vector field type fixes its dimension: {@code llmp-rag-v1-dDIM}. The stop word list is written from the
 * embedded store's analyzer, so BM25 analysis cannot drift between the two stores.
 */
final class SolrConfigSet {
    /** Bump when the bundled files change, so clusters get the new set instead of reusing the old one. */
    static final String VERSION = "v1";
    private static final String DIR = "configset/";
    private static final List<String> FILES = List.of("solrconfig.xml", "managed-schema.xml");

    private SolrConfigSet() {
    }

    static String name(int dimension) {
        return "llmp-rag-" + VERSION + "-d" + dimension;
    }

    /** The configset as the zip the ConfigSet API's upload takes. */
    static byte[] zip(int dimension) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String file : FILES) {
                String text = resource(file).replace("@DIMENSION@", Integer.toString(dimension));
                put(zip, file, text);
            }
            put(zip, "stopwords_en.txt", stopWords());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String stopWords() {
        StringBuilder out = new StringBuilder("# Lucene's EnglishAnalyzer stop words (the embedded store's BM25 analysis)\n");
        TreeSet<String> words = new TreeSet<>();
        EnglishAnalyzer.ENGLISH_STOP_WORDS_SET.forEach(w -> words.add(new String((char[]) w)));
        words.forEach(w -> out.append(w).append('\n'));
        return out.toString();
    }

    private static void put(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static String resource(String file) throws IOException {
        try (InputStream in = SolrConfigSet.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IOException("bundled Solr configset file " + DIR + file + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
