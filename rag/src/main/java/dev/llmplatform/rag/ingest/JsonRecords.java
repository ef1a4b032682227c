package dev.llmplatform.rag.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON and JSON Lines records: one document per object, its text from a chosen field, id and title from
 * their fields when present, every other field kept as metadata.
 */
public final class JsonRecords {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * Which record fields hold the text, the id and the title. Id and title fall back to {@code _id}/{@code id}
     * and {@code title}.
     */
    public record Fields(String text, String id, String title) {
        public static final Fields DEFAULT = new Fields("text", "_id", "title");
    }

    private JsonRecords() {
    }

    static List<SourceDocument> readJson(String json, String name, Fields fields) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IngestException("'" + name + "' is not valid JSON: " + e.getOriginalMessage());
        }
        List<SourceDocument> docs = new ArrayList<>();
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                docs.add(record(root.get(i), name, i + 1, fields));
            }
        } else {
            docs.add(record(root, name, 1, fields));
        }
        return docs;
    }

    static List<SourceDocument> readJsonLines(String text, String name, Fields fields) {
        List<SourceDocument> docs = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                docs.add(record(JSON.readTree(lines[i]), name, i + 1, fields));
            } catch (JacksonException e) {
                throw new IngestException("'" + name + "' line " + (i + 1) + " is not valid JSON: " + e.getOriginalMessage());
            }
        }
        return docs;
    }

    private static SourceDocument record(JsonNode node, String name, int number, Fields fields) {
        if (node == null || !node.isObject()) {
            throw new IngestException("'" + name + "' record " + number + " is not a JSON object");
        }
        JsonNode text = node.get(fields.text());
        if (text == null || !text.isString()) {
            throw new IngestException("'" + name + "' record " + number + " has no string field '" + fields.text() + "'");
        }
        String id = firstString(node, fields.id(), "_id", "id");
        String title = firstString(node, fields.title(), "title");
        Map<String, Object> meta = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = e.getKey();
            if (key.equals(fields.text()) || key.equals(fields.id()) || key.equals("_id") || key.equals("id")
                    || key.equals(fields.title()) || key.equals("title")) {
                continue;
            }
            Object value = toMetadataValue(e.getValue());
            if (value != null) {
                meta.put(key, value);
            }
        }
        String source = meta.get("source") instanceof String s ? s : name + "#" + number;
        return new SourceDocument(id, title != null ? title : "", source, text.asString(), List.of(), meta);
    }

    private static String firstString(JsonNode node, String... names) {
        for (String n : names) {
            JsonNode v = n == null ? null : node.get(n);
            if (v != null && (v.isString() || v.isNumber())) {
                return v.asString();
            }
        }
        return null;
    }

    /** Scalars and lists of scalars as they are; nested objects as their JSON text. */
    public static Object toMetadataValue(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isString()) {
            return v.asString();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            for (JsonNode item : v) {
                Object o = toMetadataValue(item);
                if (o != null) {
                    list.add(o instanceof List<?> ? item.toString() : o);
                }
            }
            return list;
        }
        return v.toString();
    }
}
