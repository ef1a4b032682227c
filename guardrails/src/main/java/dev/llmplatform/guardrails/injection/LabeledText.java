package dev.llmplatform.guardrails.injection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One labelled row of an injection set: JSON lines {@code {"text", "label"}}; the label {@code benign}
 * is benign, anything else an attack.
 */
public record LabeledText(String text, boolean attack) {
    /** Attack and benign examples written for this project, shipped with the training command. */
    public static final String BUNDLED_EXAMPLES = "/dev/llmplatform/guardrails/injection/training-examples.jsonl";

    public static List<LabeledText> readJsonl(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        }
    }

    public static List<LabeledText> bundledExamples() throws IOException {
        try (InputStream in = LabeledText.class.getResourceAsStream(BUNDLED_EXAMPLES)) {
            if (in == null) {
                throw new IOException(BUNDLED_EXAMPLES + " is missing from the class path");
            }
            return read(new InputStreamReader(in, StandardCharsets.UTF_8), BUNDLED_EXAMPLES);
        }
    }

    private static List<LabeledText> read(Reader reader, String name) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<LabeledText> rows = new ArrayList<>();
        BufferedReader r = new BufferedReader(reader);
        int lineNo = 0;
        for (String line; (line = r.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode row;
            try {
                row = json.readTree(line);
            } catch (JacksonException e) {
                throw new IOException(name + " line " + lineNo + ": not valid JSON");
            }
            JsonNode text = row.get("text");
            JsonNode label = row.get("label");
            if (text == null || !text.isString() || label == null || !label.isString()) {
                throw new IOException(name + " line " + lineNo + ": expected {\"text\": string, \"label\": string}");
            }
            rows.add(new LabeledText(text.asString(), !label.asString().equals("benign")));
        }
        return rows;
    }
}
