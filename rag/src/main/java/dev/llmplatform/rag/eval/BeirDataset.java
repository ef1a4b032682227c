package dev.llmplatform.rag.eval;

import dev.llmplatform.rag.ingest.SourceDocument;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A retrieval test set in BEIR's layout: {@code corpus.jsonl} ({@code _id}, {@code title}, {@code text}),
 * {@code queries.jsonl} ({@code _id}, {@code text}) and a qrels TSV ({@code query-id corpus-id score},
 * header line optional). Only queries that have judgements are kept.
 */
public record BeirDataset(List<SourceDocument> corpus, Map<String, String> queries,
                          Map<String, Map<String, Integer>> qrels) {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public static BeirDataset load(Path corpus, Path queries, Path qrels) throws IOException {
        Map<String, Map<String, Integer>> judgements = readQrels(qrels);
        List<SourceDocument> docs = new ArrayList<>();
        forEachRecord(corpus, node -> docs.add(new SourceDocument(text(node, "_id"), text(node, "title"),
                corpus.getFileName() + "#" + text(node, "_id"), text(node, "text"), List.of(), Map.of())));
        Map<String, String> qs = new LinkedHashMap<>();
        forEachRecord(queries, node -> {
            String id = text(node, "_id");
            if (judgements.containsKey(id)) {
                qs.put(id, text(node, "text"));
            }
        });
        if (qs.isEmpty()) {
            throw new IllegalArgumentException("no query in " + queries + " has a judgement in " + qrels);
        }
        return new BeirDataset(docs, qs, judgements);
    }

    /** The first {@code n} queries (in file order) and only the documents they need plus the first {@code extra} others. */
    public BeirDataset slice(int n, int extra) {
        Map<String, String> qs = new LinkedHashMap<>();
        queries.entrySet().stream().limit(n).forEach(e -> qs.put(e.getKey(), e.getValue()));
        java.util.Set<String> needed = new java.util.HashSet<>();
        qs.keySet().forEach(q -> needed.addAll(qrels.get(q).keySet()));
        List<SourceDocument> docs = new ArrayList<>();
        int others = 0;
        for (SourceDocument d : corpus) {
            if (needed.contains(d.id())) {
                docs.add(d);
            } else if (others < extra) {
                docs.add(d);
                others++;
            }
        }
        return new BeirDataset(docs, qs, qrels);
    }

    private static Map<String, Map<String, Integer>> readQrels(Path file) throws IOException {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cols = line.split("\t");
            if (cols.length < 3) {
                cols = line.split("\\s+");
            }
            if (cols.length < 3) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected query-id, corpus-id, score");
            }
            int score;
            try {
                score = Integer.parseInt(cols[cols.length - 1].strip());
            } catch (NumberFormatException e) {
                if (i == 0) {
                    continue; // header
                }
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": score is not an integer");
            }
            if (score > 0) {
                out.computeIfAbsent(cols[0].strip(), k -> new HashMap<>()).put(cols[cols.length - 2].strip(), score);
            }
        }
        return out;
    }

    private static void forEachRecord(Path file, java.util.function.Consumer<JsonNode> action) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (!line.isBlank()) {
                    try {
                        action.accept(JSON.readTree(line));
                    } catch (tools.jackson.core.JacksonException e) {
                        throw new IllegalArgumentException(file + " line " + n + " is not valid JSON");
                    }
                }
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asString();
    }
}
