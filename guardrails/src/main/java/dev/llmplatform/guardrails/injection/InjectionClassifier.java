package dev.llmplatform.guardrails.injection;

import dev.llmplatform.guardrails.TextEmbedder;
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
 * <p>With a {@link LexicalGate} the classifier is the second stage of a cascade: a window whose wording alone
 * scores below the gate is benign without being embedded (see {@link #needsEncoder}).
 *
 * @param weights   one weight per embedding dimension
 * @param lexicalWeights one weight per lexical hash bucket (empty: embedding only)
 * @param bias      the intercept
 * @param threshold the probability at or above which a text counts as an injection
 * @param gate      the lexical first stage; {@code null}: every window is embedded and scored
 * @param encoderLayers the encoder blocks whose pooled output the embedding weights read
 *                  ({@link TextEmbedder#ALL_LAYERS}: the sentence embedding)
 * @param provenance how the weights were made (data, rows, command), kept with them
 */
public record InjectionClassifier(float[] weights, float[] lexicalWeights, float bias, double threshold, LexicalGate gate,
                                  int encoderLayers, Map<String, Object> provenance) {
    public static final String RESOURCE = "/dev/llmplatform/guardrails/injection/injection-classifier.json";

    public InjectionClassifier {
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
        lexicalWeights = lexicalWeights == null ? new float[0] : lexicalWeights;
        if (threshold <= 0 || threshold >= 1) {
            throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
        }
        if (encoderLayers < 0) {
            throw new IllegalArgumentException("encoder layers must be >= 0, got " + encoderLayers);
        }
        if (gate != null && gate.weights().length != lexicalWeights.length) {
            throw new IllegalArgumentException("the gate has " + gate.weights().length + " lexical buckets, the classifier " + lexicalWeights.length);
        }
    }

    /** The hashed lexical features of {@code text} as this classifier and its gate read them (no embedding part). */
    public FeatureVector lexicalFeatures(String text) {
        return LexicalFeatures.of(new float[0], text, lexicalWeights.length);
    }

    /** Whether a window with these lexical features must be embedded and scored; false: benign by the gate. */
    public boolean needsEncoder(FeatureVector lexical) {
        return gate == null || gate.passes(lexical);
    }

    /** P(injection) of {@code text}, whose sentence embedding is {@code embedding}. */
    public double probability(float[] embedding, String text) {
        return probability(embedding, lexicalFeatures(text));
    }

    /** P(injection) from a window's embedding and its {@link #lexicalFeatures}. */
    public double probability(float[] embedding, FeatureVector lexical) {
        if (embedding.length != weights.length) {
            throw new IllegalArgumentException("embedding has " + embedding.length + " dimensions, the classifier " + weights.length);
        }
        double z = bias;
        for (int i = 0; i < weights.length; i++) {
            z += weights[i] * embedding[i];
        }
        for (int j = 0; j < lexical.index().length; j++) {
            z += lexicalWeights[lexical.index()[j]] * lexical.value()[j];
        }
        return 1 / (1 + Math.exp(-z));
    }

    public InjectionClassifier withThreshold(double t) {
        return new InjectionClassifier(weights, lexicalWeights, bias, t, gate, encoderLayers, provenance);
    }

    /** From fitted coefficients: {@code dense} embedding weights, then the lexical ones, then the bias. */
    static InjectionClassifier fromCoefficients(double[] beta, int dense, double threshold, LexicalGate gate, int encoderLayers,
                                                Map<String, Object> provenance) {
        float[] w = new float[dense];
        float[] v = new float[beta.length - 1 - dense];
        for (int i = 0; i < dense; i++) {
            w[i] = (float) beta[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) beta[dense + i];
        }
        return new InjectionClassifier(w, v, (float) beta[beta.length - 1], threshold, gate, encoderLayers, provenance);
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

    /** Weights written by {@link #write} (e.g. a candidate from {@code llmp train-injection-classifier --out}). */
    public static InjectionClassifier read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return fromJson(new ObjectMapper().readTree(in));
        } catch (RuntimeException e) {
            throw new IOException(file + ": not injection-classifier weights (" + e.getMessage() + ")", e);
        }
    }

    static InjectionClassifier fromJson(JsonNode json) {
        float[] weights = floats(json.get("weights"));
        float[] lexical = json.has("lexical_weights") ? floats(json.get("lexical_weights")) : new float[0];
        @SuppressWarnings("unchecked")
        Map<String, Object> provenance = json.has("provenance")
                ? new ObjectMapper().convertValue(json.get("provenance"), Map.class) : Map.of();
        JsonNode g = json.get("gate");
        LexicalGate gate = g == null ? null
                : new LexicalGate(floats(g.get("weights")), g.get("bias").floatValue(), g.get("threshold").asDouble());
        int layers = json.has("encoder_layers") ? json.get("encoder_layers").asInt() : TextEmbedder.ALL_LAYERS;
        return new InjectionClassifier(weights, lexical, json.get("bias").floatValue(), json.get("threshold").asDouble(), gate,
                layers, provenance);
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
        json.put("model", "logistic regression over all-MiniLM-L6-v2 " + (encoderLayers == TextEmbedder.ALL_LAYERS
                ? "sentence embeddings" : "mean-pooled hidden states after layer " + encoderLayers) + " and " + lexicalWeights.length
                + " hashed lexical buckets (words, word pairs, character 3-5-grams)");
        json.put("encoder_layers", encoderLayers);
        json.put("threshold", threshold);
        json.put("bias", bias);
        json.put("provenance", new java.util.TreeMap<>(provenance)); // sorted: Map.copyOf's order changes between JVMs
        if (gate != null) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("model", "logistic regression over the lexical buckets alone; below the threshold a window is benign"
                    + " without the encoder");
            g.put("threshold", gate.threshold());
            g.put("bias", gate.bias());
            g.put("weights", gate.weights());
            json.put("gate", g);
        }
        json.put("weights", weights);
        json.put("lexical_weights", lexicalWeights);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    }
}
