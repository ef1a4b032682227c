package dev.llmplatform.api.web;

import dev.llmplatform.api.upstream.UpstreamCall;
import dev.llmplatform.api.upstream.UpstreamModel;
import dev.llmplatform.guardrails.Action;
import dev.llmplatform.guardrails.Decision;
import dev.llmplatform.guardrails.GuardSession;
import dev.llmplatform.guardrails.OutputStreamRail;
import dev.llmplatform.structured.JsonSchemaOutput;
import dev.llmplatform.structured.schema.SchemaCompileException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Chat completions for a model served by remote OpenAI-compatible servers, through the same platform as a
 * local one: the key's access and limits (already checked by the filters, and charged here from the
 * upstream's {@code usage}), the input rails on every message, RAG grounding with citations, the output rail
 * on the answer — while it streams too — and {@code json_schema} passed on and the answer validated here
 * ({@code schema_validation}, as for local models: a failed validation is reported, never passed off as valid).
 *
 * <p>The request goes on as the client sent it, with the screened message texts, the grounding system
 * message, the upstream's model name, and {@code stream_options.include_usage} so the tokens can be
 * charged (the usage chunk is passed on only when the client asked for it). An upstream that drops the
 * connection mid-stream ends the client's stream with an {@code upstream_error} event.
 */
@Component
public class UpstreamChat {
    /** The RAG budget's estimate for a remote model whose tokenizer we do not have: about 4 bytes a token. */
    private static final int BYTES_PER_TOKEN_ESTIMATE = 4;
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final ObjectMapper json;
    private final RequestAccounting accounting;
    private final GuardrailsGate guardrails;
    private final RagGrounding grounding;
    private final ChatPromptBuilder prompts;

    public UpstreamChat(ObjectMapper json, RequestAccounting accounting, GuardrailsGate guardrails, RagGrounding grounding) {
        this.json = json;
        this.accounting = accounting;
        this.guardrails = guardrails;
        this.grounding = grounding;
        this.prompts = new ChatPromptBuilder(json);
    }

    /** What was decided before the request went out. */
    private record Plan(UpstreamModel model, boolean stream, boolean clientWantsUsage, GuardSession guard,
                        RagGrounding.Sources sources, JsonSchemaOutput schema) {
    }

    void handle(UpstreamModel model, JsonNode body, HttpServletRequest request, HttpServletResponse response)
            throws IOException, InterruptedException {
        RequestReader r = new RequestReader(body);
        accounting.begin(request, model.id());
        ObjectNode forward = (ObjectNode) body.deepCopy();
        boolean stream = r.bool("stream", false);
        boolean clientWantsUsage = r.get("stream_options") != null && r.get("stream_options").path("include_usage").asBoolean(false);
        r.integer("n", 1, 1, accounting.maxN());
        for (String param : List.of("max_completion_tokens", "max_tokens")) {
            Integer requested = r.integer(param, null, 1, Integer.MAX_VALUE);
            if (requested != null) {
                accounting.checkMaxTokens(requested, param);
            }
        }
        GuardSession guard = guardrails.open(request);
        List<Map<String, Object>> messages = prompts.messages(r.get("messages"));
        ArrayNode forwardMessages = (ArrayNode) forward.get("messages");
        for (int i = 0; i < messages.size(); i++) {
            Map<String, Object> m = messages.get(i);
            String screened = guardrails.screen(guard, (String) m.get("role"), (String) m.get("content"), "messages[" + i + "].content");
            m.put("content", screened);
            ObjectNode sent = (ObjectNode) forwardMessages.get(i);
            if (!sent.path("content").isNull() && sent.has("content")) {
                sent.put("content", screened);
            }
        }
        RagGrounding.Sources sources = null;
        JsonNode rag = r.get("rag");
        if (rag != null) {
            sources = new RagGrounding.Sources();
            Integer reserve = r.integer("max_completion_tokens", r.integer("max_tokens", null, 1, Integer.MAX_VALUE), 1, Integer.MAX_VALUE);
            String system = grounding.groundingMessage(rag, request, model.contextLength(),
                    text -> text.getBytes(StandardCharsets.UTF_8).length / BYTES_PER_TOKEN_ESTIMATE + 1, guard,
                    reserve != null ? reserve : RagGrounding.DEFAULT_REPLY_RESERVE, messages, sources);
            if (system != null) {
                JsonNode first = forwardMessages.get(0);
                if (first != null && List.of("system", "developer").contains(first.path("role").asString(""))) {
                    ((ObjectNode) first).put("content", system);
                } else {
                    forwardMessages.insert(0, json.createObjectNode().put("role", "system").put("content", system));
                }
            }
            forward.remove("rag");
        }
        forward.put("model", model.remoteName());
        if (stream) {
            forward.putObject("stream_options").put("include_usage", true);
        }
        Plan plan = new Plan(model, stream, clientWantsUsage, guard, sources, schema(r));

        UpstreamCall call = model.send("/v1/chat/completions", json.writeValueAsBytes(forward), stream);
        Usage usage = new Usage();
        try (call) {
            if (call.status() != 200) {
                relayError(call, response);
                return;
            }
            if (stream) {
                stream(plan, call, usage, response);
            } else {
                complete(plan, call, usage, response);
            }
        } finally {
            accounting.finishRemote(request, model.id(), usage.prompt, usage.completion);
        }
    }

    /** The {@code json_schema} of {@code response_format}, compiled for validating the answer; null without one. */
    private static JsonSchemaOutput schema(RequestReader r) {
        JsonNode format = r.get("response_format");
        if (format == null || !"json_schema".equals(format.path("type").asString(""))) {
            return null;
        }
        JsonNode schema = format.path("json_schema").get("schema");
        if (schema == null || !schema.isObject()) {
            throw ApiException.invalidRequest("'response_format.json_schema' must be an object with a 'schema'", "response_format.json_schema");
        }
        try {
            return JsonSchemaOutput.compile(schema.toString());
        } catch (SchemaCompileException e) {
            throw ApiException.invalidRequest("Invalid schema for response_format: " + String.join("; ", e.problems()),
                    "response_format.json_schema.schema");
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("Invalid schema for response_format: " + e.getMessage(), "response_format.json_schema.schema");
        }
    }

    private static final class Usage {
        int prompt;
        int completion;

        void read(JsonNode usage) {
            if (usage != null && usage.isObject()) {
                prompt = usage.path("prompt_tokens").asInt(prompt);
                completion = usage.path("completion_tokens").asInt(completion);
            }
        }
    }

    // ------------------------------------------------------------------ non-streaming

    private void complete(Plan plan, UpstreamCall call, Usage usage, HttpServletResponse response) throws IOException {
        JsonNode answer;
        try (InputStream in = call.body()) {
            answer = json.readTree(in);
        } catch (IOException | JacksonException e) {
            call.fail(e);
            writeError(response, upstreamError(plan.model(), call, "its answer could not be read: " + e.getMessage()));
            return;
        }
        if (!(answer instanceof ObjectNode body) || !body.path("choices").isArray()) {
            call.fail(new IOException("not a chat completion"));
            writeError(response, upstreamError(plan.model(), call, "its answer is not a chat completion"));
            return;
        }
        usage.read(body.get("usage"));
        for (JsonNode choice : body.get("choices")) {
            if (!(choice instanceof ObjectNode) || !(choice.path("message") instanceof ObjectNode message)) {
                continue; // nothing the rails could read; passed on as the upstream sent it
            }
            String content = message.path("content").isString() ? message.path("content").asString() : null;
            if (content != null && !message.path("tool_calls").isArray()) {
                Decision d = guardrails.output(plan.guard(), content);
                if (d != null && d.blocked()) {
                    message.put("content", "");
                    ((ObjectNode) choice).put("finish_reason", "content_filter");
                } else if (d != null) {
                    message.put("content", d.text());
                }
            }
            if (plan.schema() != null && content != null) {
                ((ObjectNode) choice).set("schema_validation", json.valueToTree(schemaValidation(plan.schema(), content)));
            }
        }
        body.put("model", plan.model().id());
        if (plan.sources() != null) {
            body.set("citations", json.valueToTree(plan.sources().json()));
        }
        response.setStatus(200);
        response.setContentType("application/json");
        try {
            response.getOutputStream().write(json.writeValueAsBytes(body));
            response.flushBuffer();
        } catch (IOException e) {
            // the client left; the upstream has already answered
        }
    }

    static Map<String, Object> schemaValidation(JsonSchemaOutput schema, String text) {
        List<String> violations = schema.violations(text);
        return Map.of("valid", violations.isEmpty(), "violations", violations, "unenforced", schema.unenforced());
    }

    // ------------------------------------------------------------------ streaming

    /** One choice of a relayed stream: its text so far, and the output rail it passes through. */
    private static final class StreamedChoice {
        final StringBuilder text = new StringBuilder();
        final OutputStreamRail rail;
        final RequestAccounting.TokenClock clock;
        boolean filtered;

        StreamedChoice(OutputStreamRail rail, RequestAccounting.TokenClock clock) {
            this.rail = rail;
            this.clock = clock;
        }
    }

    private void stream(Plan plan, UpstreamCall call, Usage usage, HttpServletResponse response) throws IOException {
        SseWriter sse = SseWriter.open(response, json);
        try {
            relayStream(plan, call, usage, sse);
        } catch (IOException e) {
            // the client left: closing the call drops the upstream's connection, which stops its generation
        }
    }

    private void relayStream(Plan plan, UpstreamCall call, Usage usage, SseWriter sse) throws IOException {
        Map<Integer, StreamedChoice> choices = new HashMap<>();
        String lastId = null;
        long created = 0;
        boolean done = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(call.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = readLine(in)) != null) {
                if (!line.startsWith("data:")) {
                    continue; // comments, event names, blank separators
                }
                String data = line.substring(5).strip();
                if (data.equals("[DONE]")) {
                    done = true;
                    break;
                }
                JsonNode event = json.readTree(data);
                if (!(event instanceof ObjectNode chunk)) {
                    continue;
                }
                if (chunk.has("error")) {
                    sse.send(chunk); // the upstream's own error event, as it sent it
                    return;
                }
                lastId = chunk.path("id").asString(lastId);
                created = chunk.path("created").asLong(created);
                chunk.put("model", plan.model().id());
                if (chunk.path("usage").isObject()) {
                    usage.read(chunk.get("usage"));
                }
                boolean keep = relayChoices(plan, chunk, choices, sse);
                if (chunk.path("choices").isEmpty() && chunk.path("usage").isObject() && !plan.clientWantsUsage()) {
                    keep = false; // we asked for usage to charge it; this client did not
                }
                if (keep) {
                    sse.send(chunk);
                }
                if (!choices.isEmpty() && choices.values().stream().allMatch(c -> c.filtered)) {
                    return; // every choice was stopped by the rail: nothing more may leave
                }
            }
            if (!done) {
                throw new UpstreamStreamBroken("the stream ended without [DONE]");
            }
            if (plan.sources() != null) {
                ObjectNode cites = json.createObjectNode();
                cites.put("id", lastId).put("object", "chat.completion.chunk").put("created", created).put("model", plan.model().id());
                cites.putArray("choices");
                cites.set("citations", json.valueToTree(plan.sources().json()));
                sse.send(cites);
            }
            sse.done();
        } catch (UpstreamStreamBroken e) {
            call.fail(e);
            sse.send(upstreamError(plan.model(), call, "it failed mid-stream: " + e.getMessage()).toBody());
        } catch (JacksonException e) {
            call.fail(e);
            sse.send(upstreamError(plan.model(), call, "it sent an event that is not JSON").toBody());
        }
    }

    /**
     * Passes each choice's content through its output rail, in place; returns whether the chunk still
     * carries anything for the client.
     */
    private boolean relayChoices(Plan plan, ObjectNode chunk, Map<Integer, StreamedChoice> choices, SseWriter sse) throws IOException {
        JsonNode list = chunk.path("choices");
        if (!list.isArray() || list.isEmpty()) {
            return true;
        }
        ArrayNode kept = json.createArrayNode();
        for (JsonNode node : list) {
            if (!(node instanceof ObjectNode choice)) {
                continue; // not a choice: dropped rather than passed on unchecked
            }
            int index = choice.path("index").asInt(0);
            StreamedChoice c = choices.computeIfAbsent(index, i -> new StreamedChoice(
                    plan.guard() != null ? plan.guard().newOutputStream() : null, accounting.clock(plan.model().id())));
            if (c.filtered) {
                continue;
            }
            ObjectNode delta = choice.path("delta") instanceof ObjectNode d ? d : choice.putObject("delta");
            boolean last = !choice.path("finish_reason").isNull() && choice.has("finish_reason");
            String text = delta.path("content").isString() ? delta.path("content").asString() : "";
            if (!text.isEmpty()) {
                c.clock.token();
                c.text.append(text);
            }
            if (c.rail != null && (!text.isEmpty() || last)) {
                OutputStreamRail.StreamChunk railed = c.rail.push(text);
                String released = railed.text();
                if (!railed.stopped() && last) {
                    OutputStreamRail.StreamChunk rest = c.rail.finish();
                    railed = new OutputStreamRail.StreamChunk(released + rest.text(), rest.stopped(), rest.category());
                    released = railed.text();
                }
                if (railed.stopped()) {
                    c.filtered = true;
                    guardrails.count(new Decision(Action.BLOCK, null, List.of(), railed.category()));
                    if (!released.isEmpty()) {
                        delta.put("content", released);
                        choice.putNull("finish_reason");
                        kept.add(choice.deepCopy());
                    }
                    ObjectNode stop = json.createObjectNode();
                    stop.put("index", index);
                    stop.putObject("delta");
                    stop.putNull("logprobs");
                    stop.put("finish_reason", "content_filter");
                    kept.add(stop);
                    chunk.set("choices", kept);
                    sse.send(chunk);
                    sse.send(OpenAiError.of("The response was stopped by the guardrails policy (category: " + railed.category() + ")",
                            "invalid_request_error", null, "content_filter"));
                    kept = json.createArrayNode();
                    continue;
                }
                if (delta.has("content") || !released.isEmpty()) {
                    delta.put("content", released);
                }
            }
            if (last && plan.schema() != null && !delta.has("tool_calls")) {
                choice.set("schema_validation", json.valueToTree(schemaValidation(plan.schema(), c.text.toString())));
            }
            // A delta whose text the rail is still holding back carries nothing: it is left out.
            boolean hasText = !delta.path("content").asString("").isEmpty();
            boolean hasOther = delta.size() > (delta.has("content") ? 1 : 0);
            if (last || hasText || hasOther || choice.path("logprobs").isObject()) {
                kept.add(choice);
            }
        }
        chunk.set("choices", kept);
        return !kept.isEmpty();
    }

    /** A line of the upstream's stream; a read that fails means the upstream is gone. */
    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UpstreamStreamBroken(UpstreamModel.describe(e));
        }
    }

    /** The upstream broke its stream (dropped connection, or ended without {@code [DONE]}). */
    private static final class UpstreamStreamBroken extends RuntimeException {
        UpstreamStreamBroken(String message) {
            super(message, null, false, false);
        }
    }

    // ------------------------------------------------------------------ errors

    private static ApiException upstreamError(UpstreamModel model, UpstreamCall call, String what) {
        return new ApiException(HttpStatus.BAD_GATEWAY, "The upstream " + call.endpoint().base() + " of model '" + model.id() + "' failed: "
                + what, "server_error", null, "upstream_error");
    }

    /**
     * A non-200 answer: a 4xx is the request's fault and goes back as the upstream wrote it (when it is in
     * OpenAI's error shape); a 5xx counts against the upstream and becomes a 502.
     */
    private void relayError(UpstreamCall call, HttpServletResponse response) throws IOException {
        byte[] bytes;
        try (InputStream in = call.body()) {
            bytes = in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            bytes = new byte[0];
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        JsonNode parsed = null;
        try {
            parsed = json.readTree(text);
        } catch (JacksonException e) {
            // not JSON: described below
        }
        String message = parsed != null && parsed.path("error").path("message").isString() ? parsed.path("error").path("message").asString()
                : text.length() > 300 ? text.substring(0, 300) + "…" : text;
        if (call.status() >= 500) {
            call.fail(new IOException("HTTP " + call.status()));
            writeError(response, new ApiException(HttpStatus.BAD_GATEWAY, "The upstream " + call.endpoint().base() + " answered "
                    + call.status() + ": " + message, "server_error", null, "upstream_error"));
            return;
        }
        HttpStatus status = HttpStatus.resolve(call.status());
        if (parsed != null && parsed.path("error").isObject() && status != null && status.is4xxClientError()) {
            response.setStatus(call.status());
            response.setContentType("application/json");
            response.getOutputStream().write(json.writeValueAsBytes(parsed));
            response.flushBuffer();
            return;
        }
        writeError(response, new ApiException(HttpStatus.BAD_GATEWAY, "The upstream " + call.endpoint().base() + " answered "
                + call.status() + ": " + message, "server_error", null, "upstream_error"));
    }

    private void writeError(HttpServletResponse response, ApiException error) throws IOException {
        if (!response.isCommitted()) {
            response.setStatus(error.status().value());
            response.setContentType("application/json");
        }
        try {
            response.getOutputStream().write(json.writeValueAsBytes(error.toBody()));
            response.flushBuffer();
        } catch (IOException e) {
            // the client is gone
        }
    }
}
