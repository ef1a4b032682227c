package dev.llmplatform.api.web;

import dev.llmplatform.api.serving.EmbeddingService;
import dev.llmplatform.api.upstream.UpstreamCall;
import dev.llmplatform.api.upstream.UpstreamModel;
import dev.llmplatform.api.upstream.Upstreams;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/embeddings}: {@code input} as a string, strings, token ids or lists of token ids;
 * {@code encoding_format} float or base64 (little-endian float32, as OpenAI sends it); {@code dimensions}
 * only when it is the model's own. Concurrent requests share encoder passes ({@link EmbeddingService}).
 * A remote model's requests go to its upstreams.
 */
@RestController
public class EmbeddingsController {
    /** OpenAI's limit on inputs per request. */
    static final int MAX_INPUTS = 2048;

    private final EmbeddingService embeddings;
    private final RequestAccounting accounting;
    private final Upstreams upstreams;
    private final ObjectMapper json;

    public EmbeddingsController(EmbeddingService embeddings, RequestAccounting accounting, Upstreams upstreams, ObjectMapper json) {
        this.embeddings = embeddings;
        this.accounting = accounting;
        this.upstreams = upstreams;
        this.json = json;
    }

    @PostMapping("/v1/embeddings")
    public Map<String, Object> create(@RequestBody JsonNode body, HttpServletRequest request) throws InterruptedException {
        RequestReader r = new RequestReader(body);
        String model = r.requiredString("model");
        UpstreamModel remote = upstreams.find(model);
        if (remote != null) {
            return remote(remote, body, request);
        }
        if (!embeddings.has(model)) {
            throw ApiException.modelNotFound(model);
        }
        accounting.begin(request, model);
        String format = r.string("encoding_format", "float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw ApiException.invalidRequest("'encoding_format' must be float or base64", "encoding_format");
        }
        Integer dimensions = r.integer("dimensions", null, 1, Integer.MAX_VALUE);
        if (dimensions != null && dimensions != embeddings.dimension(model)) {
            throw ApiException.invalidRequest("'dimensions' must be " + embeddings.dimension(model)
                    + " for model '" + model + "' (it cannot be shortened)", "dimensions");
        }
        JsonNode input = r.get("input");
        EmbeddingService.Embeddings result = input != null && isTokenInput(input)
                ? embeddings.embedTokens(model, tokenInputs(input))
                : embeddings.embedTexts(model, textInputs(input));
        accounting.finishEmbeddings(request, model, result.vectors().size(), result.promptTokens());
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < result.vectors().size(); i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("object", "embedding");
            item.put("index", i);
            item.put("embedding", format.equals("base64") ? base64(result.vectors().get(i)) : result.vectors().get(i));
            data.add(item);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "list");
        out.put("data", data);
        out.put("model", model);
        out.put("usage", OpenAiShapes.ordered("prompt_tokens", result.promptTokens(), "total_tokens", result.promptTokens()));
        return out;
    }

    /** A remote embedding model: the request goes on under the upstream's name, the answer comes back under ours. */
    private Map<String, Object> remote(UpstreamModel model, JsonNode body, HttpServletRequest request) throws InterruptedException {
        accounting.begin(request, model.id());
        ObjectNode forward = (ObjectNode) body.deepCopy();
        forward.put("model", model.remoteName());
        try (UpstreamCall call = model.send("/v1/embeddings", json.writeValueAsBytes(forward), false)) {
            JsonNode answer;
            try {
                answer = json.readTree(call.body());
            } catch (JacksonException e) {
                answer = json.createObjectNode();
            }
            if (call.status() != 200 || !answer.path("data").isArray()) {
                String message = answer.path("error").path("message").isString()
                        ? answer.path("error").path("message").asString() : "its answer is not an embedding list";
                if (call.status() >= 400 && call.status() < 500) {
                    throw new ApiException(HttpStatus.valueOf(call.status()), message, answer.path("error").path("type").asString("invalid_request_error"),
                            answer.path("error").path("param").asString(null), answer.path("error").path("code").asString(null));
                }
                call.fail(new IllegalStateException("HTTP " + call.status()));
                throw new ApiException(HttpStatus.BAD_GATEWAY, "The upstream " + call.endpoint().base() + " of model '" + model.id()
                        + "' failed (HTTP " + call.status() + "): " + message, "server_error", null, "upstream_error");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> out = json.convertValue(answer, LinkedHashMap.class);
            out.put("model", model.id());
            int tokens = answer.path("usage").path("prompt_tokens").asInt(0);
            accounting.finishEmbeddings(request, model.id(), answer.path("data").size(), tokens);
            return out;
        }
    }

    private static boolean isTokenInput(JsonNode input) {
        return input.isArray() && !input.isEmpty() && (input.get(0).isIntegralNumber() || input.get(0).isArray());
    }

    private static List<String> textInputs(JsonNode input) {
        List<String> texts = new ArrayList<>();
        if (input != null && input.isString()) {
            texts.add(input.asString());
        } else if (input != null && input.isArray() && !input.isEmpty()) {
            for (JsonNode n : input) {
                if (!n.isString()) {
                    throw ApiException.invalidRequest("'input' must be a string, an array of strings, or token arrays", "input");
                }
                texts.add(n.asString());
            }
        } else {
            throw ApiException.invalidRequest("'input' must be a non-empty string, an array of strings, or token arrays", "input");
        }
        check(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isEmpty()) {
                throw ApiException.invalidRequest("'input[" + i + "]' is empty; every input must have text", "input");
            }
        }
        return texts;
    }

    private static List<int[]> tokenInputs(JsonNode input) {
        List<int[]> out = new ArrayList<>();
        if (input.get(0).isIntegralNumber()) {
            out.add(ids(input));
        } else {
            for (JsonNode n : input) {
                if (!n.isArray() || n.isEmpty()) {
                    throw ApiException.invalidRequest("'input' token arrays must be non-empty arrays of integers", "input");
                }
                out.add(ids(n));
            }
        }
        check(out.size());
        return out;
    }

    private static int[] ids(JsonNode array) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            if (!array.get(i).isIntegralNumber()) {
                throw ApiException.invalidRequest("'input' token arrays must hold integers only", "input");
            }
            ids[i] = array.get(i).asInt();
        }
        return ids;
    }

    private static void check(int count) {
        if (count > MAX_INPUTS) {
            throw ApiException.invalidRequest("'input' may hold at most " + MAX_INPUTS + " entries", "input");
        }
    }

    private static String base64(float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            buf.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(buf.array());
    }
}
