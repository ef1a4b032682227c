package dev.llmplatform.api.web;

import dev.llmplatform.api.serving.ServedModel;
import dev.llmplatform.engine.template.ChatPrompt;
import dev.llmplatform.engine.template.ChatTemplateException;
import dev.llmplatform.structured.json.Json;
import dev.llmplatform.structured.tools.ToolCallSyntax;
import dev.llmplatform.structured.tools.ToolFunction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * OpenAI chat messages (and tool definitions) → the model's prompt tokens, through its chat template.
 *
 * <p>Tools: a template that renders tool definitions itself gets them as OpenAI sends them, and the
 * call syntax is the one it teaches ({@link ToolCallSyntax#forTemplate}). A template that knows no tools
 * gets them from us: a system message (see {@link #toolInstructions}) describing them and the
 * {@link ToolCallSyntax#TAGGED} syntax, with earlier calls and results written back in that syntax.
 */
final class ChatPromptBuilder {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    /** Screens a message's text before the model sees it (the guardrails): returns what the model may see. */
    @FunctionalInterface
    interface ContentFilter {
        ContentFilter NONE = (role, content, param) -> content;

        String apply(String role, String content, String param);
    }

    /** The rendered prompt; {@code syntax} is how tool calls are written, null without tools. */
    record Prompt(int[] ids, String text, ToolCallSyntax syntax) {
    }

    private final ObjectMapper json;

    ChatPromptBuilder(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param tools the callable functions, or empty when tools are off for this request
     */
    Prompt build(ServedModel model, JsonNode messagesNode, JsonNode toolsNode, List<ToolFunction> tools, ContentFilter filter,
                 UnaryOperator<List<Map<String, Object>>> augment) {
        List<Map<String, Object>> messages = messages(messagesNode);
        for (int i = 0; i < messages.size(); i++) {
            Map<String, Object> m = messages.get(i);
            m.put("content", filter.apply((String) m.get("role"), (String) m.get("content"), "messages[" + i + "].content"));
        }
        messages = augment.apply(messages);
        ChatPrompt chat = model.chatPrompt();
        if (tools.isEmpty()) {
            return render(chat, messages, null, null);
        }
        if (chat.templateRendersTools()) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> defs = (List<Map<String, Object>>) json.convertValue(toolsNode, List.class);
            return render(chat, messages, defs, ToolCallSyntax.forTemplate(chat.toolTemplate().source()));
        }
        List<Map<String, Object>> rewritten = withoutToolRoles(messages);
        String instructions = toolInstructions(tools);
        try {
            return render(chat, withSystem(rewritten, instructions), null, ToolCallSyntax.TAGGED);
        } catch (ApiException e) {
            // A template without a system role: the instructions open the first user message instead.
            return render(chat, intoFirstUser(rewritten, instructions), null, ToolCallSyntax.TAGGED);
        }
    }

    private static Prompt render(ChatPrompt chat, List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                                 ToolCallSyntax syntax) {
        try {
            String text = chat.renderText(messages, tools, true);
            return new Prompt(chat.encode(text), text, syntax);
        } catch (ChatTemplateException e) {
            throw ApiException.invalidRequest("the model's chat template refused these messages: " + e.getMessage(), "messages");
        }
    }

    /** OpenAI messages as the plain values templates read; validates roles and content. */
    List<Map<String, Object>> messages(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiException.invalidRequest("'messages' must be a non-empty array", "messages");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            String param = "messages[" + i + "]";
            if (!m.isObject()) {
                throw ApiException.invalidRequest(param + " must be an object", param);
            }
            JsonNode roleNode = m.get("role");
            if (roleNode == null || !roleNode.isString() || !ROLES.contains(roleNode.asString())) {
                throw ApiException.invalidRequest(param + ".role must be one of system, developer, user, assistant, tool", param + ".role");
            }
            String role = roleNode.asString().equals("developer") ? "system" : roleNode.asString();
            Map<String, Object> msg = new LinkedHashMap<>();
            msg.put("role", role);
            JsonNode calls = m.get("tool_calls");
            boolean hasCalls = calls != null && calls.isArray() && !calls.isEmpty();
            msg.put("content", content(m.get("content"), param, role.equals("assistant") && hasCalls));
            if (hasCalls) {
                msg.put("tool_calls", toolCalls(calls, param));
            }
            for (String key : List.of("name", "tool_call_id")) {
                JsonNode v = m.get(key);
                if (v != null && v.isString()) {
                    msg.put(key, v.asString());
                }
            }
            out.add(msg);
        }
        return out;
    }

    private static String content(JsonNode content, String param, boolean mayBeEmpty) {
        if (content == null || content.isNull()) {
            if (mayBeEmpty) {
                return "";
            }
            throw ApiException.invalidRequest(param + ".content is required", param + ".content");
        }
        if (content.isString()) {
            return content.asString();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                JsonNode type = part.get("type");
                if (type == null || !"text".equals(type.asString()) || part.get("text") == null || !part.get("text").isString()) {
                    throw ApiException.invalidRequest(param + ".content: only text parts ({\"type\": \"text\", \"text\": ...}) are supported",
                            param + ".content");
                }
                if (!sb.isEmpty()) {
                    sb.append('\n');
                }
                sb.append(part.get("text").asString());
            }
            return sb.toString();
        }
        throw ApiException.invalidRequest(param + ".content must be a string or an array of content parts", param + ".content");
    }

    /** Earlier calls, with arguments parsed (templates serialise them with {@code tojson}). */
    private List<Map<String, Object>> toolCalls(JsonNode calls, String param) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode c : calls) {
            JsonNode fn = c.get("function");
            if (fn == null || fn.get("name") == null || !fn.get("name").isString()) {
                throw ApiException.invalidRequest(param + ".tool_calls[].function.name is required", param + ".tool_calls");
            }
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", fn.get("name").asString());
            JsonNode args = fn.get("arguments");
            Object parsed = Map.of();
            if (args != null && args.isString()) {
                try {
                    // plain Java values (Integer, Double, Map, List), which templates know how to render
                    parsed = json.readValue(args.asString(), Object.class);
                } catch (tools.jackson.core.JacksonException e) {
                    parsed = args.asString();
                }
            } else if (args != null && args.isObject()) {
                parsed = json.convertValue(args, Map.class);
            }
            function.put("arguments", parsed);
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("id", c.get("id") != null ? c.get("id").asString() : "");
            call.put("type", "function");
            call.put("function", function);
            out.add(call);
        }
        return out;
    }

    /**
     * The system text that teaches a model without tool support to call tools: the definitions as JSON,
     * and the tagged syntax the grammar then enforces.
     */
    static String toolInstructions(List<ToolFunction> tools) {
        StringBuilder sb = new StringBuilder("You can call the following tools. To call a tool, reply with only\n"
                + "<tool_call>\n{\"name\": \"<tool name>\", \"arguments\": <arguments as a JSON object>}\n</tool_call>\n"
                + "(one such block per call). Otherwise, answer normally.\n\nTools:");
        for (ToolFunction f : tools) {
            Map<String, Object> def = new LinkedHashMap<>();
            def.put("name", f.name());
            if (f.description() != null) {
                def.put("description", f.description());
            }
            def.put("parameters", f.parameters());
            sb.append('\n').append(Json.write(def));
        }
        return sb.toString();
    }

    /** Calls and results written back in the tagged syntax, for templates without tool roles. */
    private static List<Map<String, Object>> withoutToolRoles(List<Map<String, Object>> messages) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> m : messages) {
            Object role = m.get("role");
            if (m.containsKey("tool_calls")) {
                StringBuilder sb = new StringBuilder((String) m.get("content"));
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> calls = (List<Map<String, Object>>) m.get("tool_calls");
                for (Map<String, Object> c : calls) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> fn = (Map<String, Object>) c.get("function");
                    Map<String, Object> call = new LinkedHashMap<>();
                    call.put("name", fn.get("name"));
                    call.put("arguments", fn.get("arguments"));
                    sb.append(sb.isEmpty() ? "" : "\n").append("<tool_call>\n").append(Json.write(call)).append("\n</tool_call>");
                }
                out.add(Map.of("role", "assistant", "content", sb.toString()));
            } else if ("tool".equals(role) || "function".equals(role)) {
                out.add(Map.of("role", "user", "content", "<tool_response>\n" + m.get("content") + "\n</tool_response>"));
            } else {
                out.add(m);
            }
        }
        return out;
    }

    private static List<Map<String, Object>> withSystem(List<Map<String, Object>> messages, String text) {
        List<Map<String, Object>> out = new ArrayList<>(messages);
        if (!out.isEmpty() && "system".equals(out.getFirst().get("role"))) {
            out.set(0, Map.of("role", "system", "content", out.getFirst().get("content") + "\n\n" + text));
        } else {
            out.addFirst(Map.of("role", "system", "content", text));
        }
        return out;
    }

    private static List<Map<String, Object>> intoFirstUser(List<Map<String, Object>> messages, String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        String system = null;
        boolean placed = false;
        for (Map<String, Object> m : messages) {
            if ("system".equals(m.get("role"))) {
                system = system == null ? (String) m.get("content") : system + "\n\n" + m.get("content");
            } else if (!placed && "user".equals(m.get("role"))) {
                String prefix = (system != null ? system + "\n\n" : "") + text;
                out.add(Map.of("role", "user", "content", prefix + "\n\n" + m.get("content")));
                placed = true;
            } else {
                out.add(m);
            }
        }
        return out;
    }
}
