package dev.llmplatform.api.web;

import dev.llmplatform.api.rag.RagJson;
import dev.llmplatform.api.rag.RagRequests;
import dev.llmplatform.api.security.AccessControl;
import dev.llmplatform.api.serving.ServedModel;
import dev.llmplatform.guardrails.GuardSession;
import dev.llmplatform.rag.RagService;
import dev.llmplatform.rag.prompt.ChatMessage;
import dev.llmplatform.rag.prompt.Citation;
import dev.llmplatform.rag.prompt.GroundedPrompt;
import dev.llmplatform.rag.prompt.GroundedPromptBuilder;
import dev.llmplatform.rag.retrieval.SearchHit;
import dev.llmplatform.rag.store.CollectionNotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code rag} extension of chat completions: retrieves passages for the last user message from a
 * collection, passes each through the guardrails' passage rail (indirect injection), and puts the ones
 * that fit the token budget into the conversation as numbered sources ({@link GroundedPromptBuilder}; the
 * template is in docs/rag.md). The response then carries the {@code citations} those numbers refer to.
 */
@Component
public class RagGrounding {
    /** Tokens kept free for the answer when the request names no {@code max_tokens}. */
    static final int DEFAULT_REPLY_RESERVE = 512;

    private final RagService rag;
    private final GuardrailsGate guardrails;
    private final ObjectMapper json;
    private final GroundedPromptBuilder builder = new GroundedPromptBuilder();

    public RagGrounding(RagService rag, GuardrailsGate guardrails, ObjectMapper json) {
        this.rag = rag;
        this.guardrails = guardrails;
        this.json = json;
    }

    /** Sources a grounded request was given, numbered as in its prompt. */
    public static final class Sources {
        private List<Citation> citations = List.of();

        public List<Map<String, Object>> json() {
            return RagJson.citations(citations);
        }
    }

    /**
     * Grounds {@code messages} (plain values, already screened) in place of the conversation, recording the
     * citations in {@code sources}.
     */
    List<Map<String, Object>> ground(JsonNode ragNode, HttpServletRequest request, ServedModel model, GuardSession guard,
                                     int replyReserve, List<Map<String, Object>> messages, Sources sources) {
        String system = groundingMessage(ragNode, request, model.contextLength(), text -> count(model, text), guard, replyReserve,
                messages, sources);
        return system == null ? messages : withSystem(messages, system);
    }

    /**
     * The system message that grounds {@code messages} (plain values, already screened) in the collection's
     * passages, or null when no passage was admitted; the citations go to {@code sources}.
     *
     * @param tokens counts a text's tokens for the budget (the model's tokenizer, or an estimate for a remote model)
     */
    String groundingMessage(JsonNode ragNode, HttpServletRequest request, int contextLength, ToIntFunction<String> tokens,
                            GuardSession guard, int replyReserve, List<Map<String, Object>> messages, Sources sources) {
        if (!ragNode.isObject()) {
            throw ApiException.invalidRequest("'rag' must be an object with a 'collection'", "rag");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> options = json.convertValue(ragNode, Map.class);
        if (!(options.get("collection") instanceof String collection) || collection.isBlank()) {
            throw ApiException.invalidRequest("'rag.collection' must name a collection", "rag.collection");
        }
        AccessControl.checkCollection(request, collection);
        String query = lastUserMessage(messages);
        List<SearchHit> hits;
        try {
            hits = rag.search(collection, RagRequests.searchRequest(options, query));
        } catch (CollectionNotFoundException e) {
            throw new ApiException(org.springframework.http.HttpStatus.NOT_FOUND, "The collection '" + collection + "' does not exist",
                    "invalid_request_error", "rag.collection", "collection_not_found");
        }
        List<SearchHit> admitted = new ArrayList<>();
        for (SearchHit hit : hits) {
            String text = guardrails.passage(guard, hit.text());
            if (text != null) {
                admitted.add(new SearchHit(hit.documentId(), hit.chunkIndex(), hit.score(), text, hit.title(), hit.source(),
                        hit.page(), hit.start(), hit.end(), hit.metadata()));
            }
        }
        List<ChatMessage> conversation = new ArrayList<>();
        int conversationTokens = 0;
        for (Map<String, Object> m : messages) {
            String content = String.valueOf(m.get("content"));
            conversation.add(new ChatMessage((String) m.get("role"), content));
            conversationTokens += tokens.applyAsInt(content) + 8; // the template's turn markers
        }
        int budget = contextLength - conversationTokens - replyReserve;
        GroundedPrompt grounded = builder.build(conversation, admitted, Math.max(0, budget), tokens::applyAsInt);
        sources.citations = grounded.citations();
        return grounded.citations().isEmpty() ? null : grounded.messages().getFirst().content();
    }

    /** {@code messages} with {@code content} as the system message: in place of the first one, or before all. */
    private static List<Map<String, Object>> withSystem(List<Map<String, Object>> messages, String content) {
        List<Map<String, Object>> out = new ArrayList<>(messages);
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("role", "system");
        system.put("content", content);
        if (!out.isEmpty() && "system".equals(out.getFirst().get("role"))) {
            out.set(0, system);
        } else {
            out.addFirst(system);
        }
        return out;
    }

    private static int count(ServedModel model, String text) {
        return model.tokenizer().encode(text, false).length;
    }

    private static String lastUserMessage(List<Map<String, Object>> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).get("role"))) {
                String content = String.valueOf(messages.get(i).get("content"));
                if (!content.isBlank()) {
                    return content;
                }
            }
        }
        throw ApiException.invalidRequest("'rag' needs a user message to search for", "messages");
    }
}
