package dev.llmplatform.api.web;

import dev.llmplatform.api.serving.ModelManager;
import dev.llmplatform.api.serving.ServedModel;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.engine.tokenizer.Tokenizers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /tokenize} and {@code POST /detokenize} in llama.cpp server's shapes
 * ({@code {"content", "add_special", "with_pieces"}} → {@code {"tokens"}}; {@code {"tokens"}} →
 * {@code {"content"}}), plus an optional {@code model} (default: the first loaded model).
 */
@RestController
public class TokenizeController {
    private final ModelManager models;

    public TokenizeController(ModelManager models) {
        this.models = models;
    }

    @PostMapping("/tokenize")
    public Map<String, Object> tokenize(@RequestBody JsonNode body) {
        RequestReader r = new RequestReader(body);
        ServedModel model = model(r);
        Tokenizer tokenizer = model.tokenizer();
        String content = r.string("content", null);
        if (content == null) {
            throw ApiException.invalidRequest("you must provide a 'content' parameter", "content");
        }
        boolean addSpecial = r.bool("add_special", false);
        boolean parseSpecial = r.bool("parse_special", true);
        int[] ids = addSpecial ? Tokenizers.encodeWithSpecials(tokenizer, content, parseSpecial) : tokenizer.encode(content, parseSpecial);
        Map<String, Object> out = new LinkedHashMap<>();
        if (r.bool("with_pieces", false)) {
            List<Map<String, Object>> pieces = new ArrayList<>();
            for (int id : ids) {
                pieces.add(OpenAiShapes.ordered("id", id, "piece", OpenAiShapes.tokenText(tokenizer, id)));
            }
            out.put("tokens", pieces);
        } else {
            out.put("tokens", ids);
        }
        return out;
    }

    @PostMapping("/detokenize")
    public Map<String, Object> detokenize(@RequestBody JsonNode body) {
        RequestReader r = new RequestReader(body);
        ServedModel model = model(r);
        JsonNode tokens = r.get("tokens");
        if (tokens == null || !tokens.isArray()) {
            throw ApiException.invalidRequest("'tokens' must be an array of token ids", "tokens");
        }
        int vocab = model.tokenizer().vocabularySize();
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode n = tokens.get(i);
            if (!n.isIntegralNumber() || n.asLong() < 0 || n.asLong() >= vocab) {
                throw ApiException.invalidRequest("'tokens' must hold ids in 0.." + (vocab - 1) + ", got " + n, "tokens");
            }
            ids[i] = n.asInt();
        }
        return Map.of("content", model.tokenizer().decode(ids));
    }

    private ServedModel model(RequestReader r) {
        String id = r.string("model", null);
        return id != null ? models.get(id) : models.defaultModel();
    }
}
