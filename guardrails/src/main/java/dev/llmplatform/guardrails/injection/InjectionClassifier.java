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
 * Logistic regression over a text's sentence embedding and its hashed lexical features
 * ({@link LexicalFeatures}): P(injection | text) = sigmoid(w·embedding + v·lexical + b). The shipped
 * weights ({@link #RESOURCE}) are produced by {@link InjectionTrainer}; see docs/guardrails.md.
 *
 * @param weights   one weight per embedding dimension
 * @param lexicalWeights one weight per lexical hash bucket (empty: embedding only)
 * @param bias      the intercept
 * @param threshold the probability at or above which a text counts as an injection
 * @param provenance how the weights were made (data, rows, command), kept with them
 */
public record InjectionClassifier(float[] weights, float[] lexicalWeights, float bias, double threshold, Map<String, Object> provenance) {
    public static final String RESOURCE = "/dev/llmplatform/guardrails/injection/injection-classifier.json";

    public InjectionClassifier {
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
        lexicalWeights = lexicalWeights == null ? new float[0] : lexicalWeights;
        if (threshold <= 0 || threshold >= 1) {
            throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
        }
    }

    /** P(injection) of {@code text}, whose sentence embedding is {@code embedding}. */
    public double probability(float[] embedding, String text) {
        if (embedding.length != weights.length) {
            throw new IllegalArgumentException("embedding has " + embedding.length + " dimensions, the classifier " + weights.length);
        }
        FeatureVector x = LexicalFeatures.of(embedding, text, lexicalWeights.length);
        double z = bias;
        for (int i = 0; i < weights.length; i++) {
            z += weights[i] * embedding[i];
        }
        for (int j = 0; j < x.index().length; j++) {
            z += lexicalWeights[x.index()[j]] * x.value()[j];
        }
        return 1 / (1 + Math.exp(-z));
    }

    public InjectionClassifier withThreshold(double t) {
        return new InjectionClassifier(weights, lexicalWeights, bias, t, provenance);
    }

    /** From fitted coefficients: {@code dense} embedding weights, then the lexical ones, then the bias. */
    static InjectionClassifier fromCoefficients(double[] beta, int dense, double threshold, Map<String, Object> provenance) {
        float[] w = new float[dense];
        float[] v = new float[beta.length - 1 - dense];
        for (int i = 0; i < dense; i++) {
            w[i] = (float) beta[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) beta[dense + i];
        }
        return new InjectionClassifier(w, v, (float) beta[beta.length - 1], threshold, provenance);
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
        float[] weights = floats(json.get("weights"));
        float[] lexical = json.has("lexical_weights") ? floats(json.get("lexical_weights")) : new float[0];
        @SuppressWarnings("unchecked")
        Map<String, Object> provenance = json.has("provenance")
                ? new ObjectMapper().convertValue(json.get("provenance"), Map.class) : Map.of();
        return new InjectionClassifier(weights, lexical, json.get("bias").floatValue(), json.get("threshold").asDouble(), provenance);
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).floatValue();
        }
        return out;
    }

    public void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", "logistic regression over all-MiniLM-L6-v2 sentence embeddings and " + lexicalWeights.length
                + " hashed lexical buckets (words, word pairs, character 3-5-grams)");
        json.put("threshold", threshold);
        json.put("bias", bias);
        json.put("provenance", provenance);
        json.put("weights", weights);
        json.put("lexical_weights", lexicalWeights);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    }
}
