package dev.llmplatform.guardrails.injection;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Logistic regression over sentence embeddings: P(injection | text) = sigmoid(w·x + b). The shipped
 * weights ({@link #RESOURCE}) are produced by {@link InjectionTrainer}; see docs/guardrails.md.
 *
 * @param weights   one weight per embedding dimension
 * @param bias      the intercept
 * @param threshold the probability at or above which a text counts as an injection
 * @param provenance how the weights were made (data, rows, command), kept with them
 */
public record InjectionClassifier(float[] weights, float bias, double threshold, Map<String, Object> provenance) {
    public static final String RESOURCE = "/dev/llmplatform/guardrails/injection/injection-classifier.json";

    public InjectionClassifier {
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
        if (threshold <= 0 || threshold >= 1) {
            throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
        }
    }

    public double probability(float[] embedding) {
        if (embedding.length != weights.length) {
            throw new IllegalArgumentException("embedding has " + embedding.length + " dimensions, the classifier " + weights.length);
        }
        double z = bias;
        for (int i = 0; i < weights.length; i++) {
            z += weights[i] * embedding[i];
        }
        return 1 / (1 + Math.exp(-z));
    }

    public InjectionClassifier withThreshold(double t) {
        return new InjectionClassifier(weights, bias, t, provenance);
    }

    /** The weights shipped in this jar. */
    public static InjectionClassifier loadDefault() {
        try (InputStream in = InjectionClassifier.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing; run `llmp train-injection-classifier` (docs/guardrails.md)");
            }
            return fromJson(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InjectionClassifier fromJson(JsonNode json) {
        JsonNode w = json.get("weights");
        float[] weights = new float[w.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = w.get(i).floatValue();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> provenance = json.has("provenance")
                ? new ObjectMapper().convertValue(json.get("provenance"), Map.class) : Map.of();
        return new InjectionClassifier(weights, json.get("bias").floatValue(), json.get("threshold").asDouble(), provenance);
    }

    public void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", "logistic regression over all-MiniLM-L6-v2 sentence embeddings");
        json.put("threshold", threshold);
        json.put("bias", bias);
        json.put("provenance", provenance);
        json.put("weights", weights);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    }
}
