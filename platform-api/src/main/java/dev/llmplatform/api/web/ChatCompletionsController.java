package dev.llmplatform.api.web;

import dev.llmplatform.api.config.PlatformProperties;
import dev.llmplatform.api.serving.GenerationGroup;
import dev.llmplatform.api.serving.ModelManager;
import dev.llmplatform.api.serving.SequencePool;
import dev.llmplatform.api.serving.ServedModel;
import dev.llmplatform.api.upstream.UpstreamModel;
import dev.llmplatform.api.upstream.Upstreams;
import dev.llmplatform.engine.runtime.FinishReason;
import dev.llmplatform.engine.runtime.GenerationEvent;
import dev.llmplatform.engine.runtime.GenerationRequest;
import dev.llmplatform.engine.runtime.GenerationStats;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.guardrails.Decision;
import dev.llmplatform.guardrails.GuardSession;
import dev.llmplatform.guardrails.OutputStreamRail;
import dev.llmplatform.structured.tools.ToolCallGrammar;
import dev.llmplatform.structured.tools.ToolCallParser;
import dev.llmplatform.structured.tools.ToolCallSyntax;
import dev.llmplatform.structured.tools.ToolFunction;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code POST /v1/chat/completions} in OpenAI's wire format: messages through the model's chat template,
 * sampling, stop strings, {@code n} choices, log-probabilities, {@code response_format} (JSON mode and
 * JSON Schema, enforced while decoding and validated after), the {@code grammar} extension, tools with
 * arguments generated under each function's schema, and streaming as server-sent events.
 */
@RestController
public class ChatCompletionsController {
    private final ModelManager models;
    private final PlatformProperties.Serving serving;
    private final ObjectMapper json;
    private final ChatPromptBuilder prompts;
    private final RequestAccounting accounting;
    private final GuardrailsGate guardrails;
    private final RagGrounding grounding;
    private final Upstreams upstreams;
    private final UpstreamChat upstreamChat;

    public ChatCompletionsController(ModelManager models, PlatformProperties properties, ObjectMapper json,
                                     RequestAccounting accounting, GuardrailsGate guardrails, RagGrounding grounding,
                                     Upstreams upstreams, UpstreamChat upstreamChat) {
        this.models = models;
        this.upstreams = upstreams;
        this.upstreamChat = upstreamChat;
        this.grounding = grounding;
        this.accounting = accounting;
        this.guardrails = guardrails;
        this.serving = properties.serving();
        this.json = json;
        this.prompts = new ChatPromptBuilder(json);
    }

    /** Everything decided before generation starts. */
    private record Plan(ServedModel model, ChatPromptBuilder.Prompt prompt, List<GenerationRequest> requests,
                        OutputConstraints constraints, boolean toolsActive, boolean stream, boolean includeUsage,
                        boolean logprobs, GuardSession guard, RagGrounding.Sources sources) {
    }

    @PostMapping("/v1/chat/completions")
    public void create(@RequestBody JsonNode body, HttpServletRequest request, HttpServletResponse response)
            throws IOException, InterruptedException {
        UpstreamModel remote = upstreams.find(body.path("model").isString() ? body.path("model").asString() : null);
        if (remote != null) {
            upstreamChat.handle(remote, body, request, response);
            return;
        }
        Plan plan = plan(new RequestReader(body), request);
        GenerationGroup group;
        try {
            group = GenerationGroup.start(plan.model(), plan.requests(), serving.queueTimeout().toMillis());
        } catch (SequencePool.BusyException e) {
            throw ApiException.overloaded(e.getMessage(), serving.queueTimeout());
        }
        List<Choice> choices = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            choices.add(new Choice(i, plan));
        }
        try {
            if (plan.stream()) {
                stream(plan, group, choices, response);
            } else {
                complete(plan, group, choices, response);
            }
        } finally {
            int completion = choices.stream().mapToInt(c -> c.tokens).sum();
            int cached = choices.getFirst().stats != null ? choices.getFirst().stats.cachedPromptTokens() : 0;
            accounting.finish(request, plan.model(), plan.prompt().ids().length, cached, completion);
        }
    }

    private Plan plan(RequestReader r, HttpServletRequest request) {
        ServedModel model = models.get(r.requiredString("model"));
        accounting.begin(request, model.id());
        boolean stream = r.bool("stream", false);
        JsonNode streamOptions = r.get("stream_options");
        boolean includeUsage = streamOptions != null && streamOptions.path("include_usage").asBoolean(false);
        boolean logprobs = r.bool("logprobs", false);
        Integer top = r.integer("top_logprobs", null, 0, SamplingOptions.MAX_TOP_LOGPROBS);
        if (top != null && !logprobs) {
            throw ApiException.invalidRequest("'top_logprobs' requires 'logprobs' to be true", "top_logprobs");
        }
        SamplingOptions sampling = SamplingOptions.read(r, model.tokenizer().vocabularySize(), accounting.maxN(model),
                logprobs ? (top == null ? 0 : top) : -1);

        // Tools: which functions may be called, and must one be.
        List<ToolFunction> functions = tools(r);
        ToolCallGrammar.Mode mode = ToolCallGrammar.Mode.AUTO;
        JsonNode choice = r.get("tool_choice");
        if (choice != null) {
            if (choice.isString()) {
                switch (choice.asString()) {
                    case "none" -> functions = List.of();
                    case "auto" -> mode = ToolCallGrammar.Mode.AUTO;
                    case "required" -> mode = ToolCallGrammar.Mode.REQUIRED;
                    default -> throw ApiException.invalidRequest("'tool_choice' must be none, auto, required or a function", "tool_choice");
                }
            } else if (choice.isObject() && choice.path("function").path("name").isString()) {
                String name = choice.path("function").path("name").asString();
                functions = functions.stream().filter(f -> f.name().equals(name)).toList();
                if (functions.isEmpty()) {
                    throw ApiException.invalidRequest("'tool_choice' names function '" + name + "', which is not in 'tools'", "tool_choice");
                }
                mode = ToolCallGrammar.Mode.REQUIRED;
            } else {
                throw ApiException.invalidRequest("'tool_choice' must be none, auto, required or {\"type\": \"function\", \"function\": {\"name\": ...}}",
                        "tool_choice");
            }
            if (functions.isEmpty() && mode == ToolCallGrammar.Mode.REQUIRED) {
                throw ApiException.invalidRequest("'tool_choice' requires a tool call but 'tools' is empty", "tool_choice");
            }
        }
        boolean parallel = r.bool("parallel_tool_calls", true);

        GuardSession guard = guardrails.open(request);
        JsonNode rag = r.get("rag");
        RagGrounding.Sources sources = rag != null ? new RagGrounding.Sources() : null;
        Integer reserve = r.integer("max_completion_tokens", r.integer("max_tokens", null, 1, Integer.MAX_VALUE), 1, Integer.MAX_VALUE);
        ChatPromptBuilder.Prompt prompt = prompts.build(model, r.get("messages"), r.get("tools"), functions,
                (role, content, param) -> guardrails.screen(guard, role, content, param),
                messages -> rag == null ? messages : grounding.ground(rag, request, model, guard,
                        reserve != null ? reserve : RagGrounding.DEFAULT_REPLY_RESERVE, messages, sources));
        int maxTokens = maxTokens(r, model, prompt.ids().length, accounting);
        OutputConstraints constraints = OutputConstraints.read(r, model, functions, mode, parallel, prompt.syntax());
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < sampling.n(); i++) {
            requests.add(new GenerationRequest(prompt.ids(), maxTokens, sampling.forChoice(i), sampling.stop(), Set.of(),
                    sampling.topLogprobs(), constraints.newConstraint()));
        }
        return new Plan(model, prompt, requests, constraints, !functions.isEmpty(), stream, includeUsage, logprobs, guard, sources);
    }

    private static List<ToolFunction> tools(RequestReader r) {
        JsonNode tools = r.get("tools");
        if (tools == null) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw ApiException.invalidRequest("'tools' must be an array", "tools");
        }
        List<ToolFunction> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            JsonNode fn = t.get("function");
            if (!"function".equals(t.path("type").asString("")) || fn == null || !fn.isObject()) {
                throw ApiException.invalidRequest("tools[" + i + "] must be {\"type\": \"function\", \"function\": {...}}", "tools[" + i + "]");
            }
            JsonNode params = fn.get("parameters");
            if (params != null && !params.isNull() && !params.isObject()) {
                throw ApiException.invalidRequest("tools[" + i + "].function.parameters must be a JSON Schema object", "tools[" + i + "].function.parameters");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> schema = params == null || params.isNull() ? Map.of()
                    : (Map<String, Object>) dev.llmplatform.structured.json.Json.parse(params.toString());
            try {
                out.add(new ToolFunction(fn.path("name").asString(null), fn.path("description").asString(null), schema));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidRequest("tools[" + i + "].function.name: " + e.getMessage(), "tools[" + i + "].function.name");
            }
        }
        return out;
    }

    /** {@code max_completion_tokens} (or the older {@code max_tokens}); the rest of the context when absent. */
    static int maxTokens(RequestReader r, ServedModel model, int promptTokens, RequestAccounting accounting) {
        Integer requested = r.integer("max_completion_tokens", null, 1, Integer.MAX_VALUE);
        String param = "max_completion_tokens";
        if (requested == null) {
            requested = r.integer("max_tokens", null, 1, Integer.MAX_VALUE);
            param = "max_tokens";
        }
        int ctx = model.contextLength();
        if (requested != null) {
            accounting.checkMaxTokens(requested, param);
        }
        if (requested == null) {
            if (promptTokens >= ctx) {
                throw ApiException.contextLengthExceeded(ctx, promptTokens, 1, "messages");
            }
            return ctx - promptTokens;
        }
        if (promptTokens + (long) requested > ctx) {
            throw ApiException.contextLengthExceeded(ctx, promptTokens, requested, promptTokens >= ctx ? "messages" : param);
        }
        return requested;
    }

    /** One choice as it is generated. */
    private final class Choice {
        final int index;
        final StringBuilder text = new StringBuilder();
        final List<Map<String, Object>> logprobs = new ArrayList<>();
        final ToolCallParser tools;
        final RequestAccounting.TokenClock clock;
        final OutputStreamRail rail;
        boolean filtered;
        FinishReason reason;
        GenerationStats stats;
        int tokens;

        Choice(int index, Plan plan) {
            this.index = index;
            this.clock = accounting.clock(plan.model());
            this.rail = plan.guard() != null && plan.stream() ? plan.guard().newOutputStream() : null;
            this.tools = plan.toolsActive() ? new ToolCallParser(plan.prompt().syntax()) : null;
        }

        boolean calledTools() {
            return tools != null && tools.isToolCall() && !tools.calls().isEmpty();
        }
    }

    // ------------------------------------------------------------------ non-streaming

    private void complete(Plan plan, GenerationGroup group, List<Choice> choices, HttpServletResponse response)
            throws IOException, InterruptedException {
        Tokenizer tokenizer = plan.model().tokenizer();
        Throwable[] failure = new Throwable[1];
        ResponseLoop.Outcome outcome = ResponseLoop.run(group, serving.requestTimeout(), serving.disconnectProbe(),
                () -> probe(response), item -> {
                    Choice c = choices.get(item.choice());
                    switch (item) {
                        case GenerationGroup.Failure f -> failure[0] = f.error();
                        case GenerationGroup.Event e -> {
                            switch (e.event()) {
                                case GenerationEvent.Token t -> {
                                    c.tokens++;
                                    c.clock.token();
                                    c.text.append(t.text());
                                    if (plan.logprobs()) {
                                        c.logprobs.add(OpenAiShapes.chatLogprob(tokenizer, t));
                                    }
                                }
                                case GenerationEvent.Finished f -> {
                                    c.text.append(f.text());
                                    c.reason = f.reason();
                                    c.stats = f.stats();
                                }
                            }
                        }
                    }
                });
        if (outcome == ResponseLoop.Outcome.DISCONNECTED) {
            return;
        }
        if (outcome == ResponseLoop.Outcome.TIMED_OUT) {
            writeError(response, ApiException.timeout(serving.requestTimeout()));
            return;
        }
        if (failure[0] != null) {
            writeError(response, ApiException.generationFailed(failure[0]));
            return;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        int completion = 0;
        for (Choice c : choices) {
            completion += c.tokens;
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", "assistant");
            List<Map<String, Object>> calls = List.of();
            if (c.tools != null) {
                c.tools.feed(c.text.toString());
                c.tools.finish();
                calls = toolCalls(c.tools.calls());
            }
            String content = c.text.toString();
            if (calls.isEmpty()) {
                Decision d = guardrails.output(plan.guard(), content);
                if (d != null && d.blocked()) {
                    c.filtered = true;
                    content = "";
                } else if (d != null) {
                    content = d.text();
                }
            }
            message.put("content", calls.isEmpty() ? content : null);
            message.put("refusal", null);
            if (!calls.isEmpty()) {
                message.put("tool_calls", calls);
            }
            message.put("annotations", List.of());
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", c.index);
            choice.put("message", message);
            choice.put("logprobs", plan.logprobs() ? logprobsObject(c.logprobs) : null);
            choice.put("finish_reason", c.filtered ? "content_filter" : OpenAiShapes.finishReason(c.reason, !calls.isEmpty()));
            if (plan.constraints().schema() != null && calls.isEmpty()) {
                choice.put("schema_validation", schemaValidation(plan, c.text.toString()));
            }
            out.add(choice);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", OpenAiShapes.id("chatcmpl-"));
        body.put("object", "chat.completion");
        body.put("created", Instant.now().getEpochSecond());
        body.put("model", plan.model().id());
        body.put("choices", out);
        body.put("usage", OpenAiShapes.usage(plan.prompt().ids().length, completion, choices.getFirst().stats.cachedPromptTokens()));
        body.put("service_tier", "default");
        body.put("system_fingerprint", OpenAiShapes.FINGERPRINT);
        if (plan.sources() != null) {
            body.put("citations", plan.sources().json());
        }
        writeJson(response, body);
    }

    private Map<String, Object> schemaValidation(Plan plan, String text) {
        Map<String, Object> v = new LinkedHashMap<>();
        List<String> violations = plan.constraints().schema().violations(text);
        v.put("valid", violations.isEmpty());
        v.put("violations", violations);
        v.put("unenforced", plan.constraints().unenforced());
        return v;
    }

    private static List<Map<String, Object>> toolCalls(List<ToolCallParser.Call> calls) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ToolCallParser.Call call : calls) {
            Map<String, Object> fn = new LinkedHashMap<>();
            fn.put("name", call.name());
            fn.put("arguments", call.arguments());
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", OpenAiShapes.id("call_"));
            c.put("type", "function");
            c.put("function", fn);
            out.add(c);
        }
        return out;
    }

    private static Map<String, Object> logprobsObject(List<Map<String, Object>> content) {
        Map<String, Object> lp = new LinkedHashMap<>();
        lp.put("content", content);
        lp.put("refusal", null);
        return lp;
    }

    // ------------------------------------------------------------------ streaming

    private void stream(Plan plan, GenerationGroup group, List<Choice> choices, HttpServletResponse response)
            throws IOException, InterruptedException {
        Tokenizer tokenizer = plan.model().tokenizer();
        SseWriter sse = SseWriter.open(response, json);
        String id = OpenAiShapes.id("chatcmpl-");
        long created = Instant.now().getEpochSecond();
        try {
            for (Choice c : choices) {
                Map<String, Object> delta = new LinkedHashMap<>();
                delta.put("role", "assistant");
                delta.put("content", "");
                delta.put("refusal", null);
                sse.send(chunk(plan, id, created, c.index, delta, null, null));
            }
        } catch (IOException e) {
            group.cancel();
            return;
        }
        Throwable[] failure = new Throwable[1];
        ResponseLoop.Outcome outcome = ResponseLoop.run(group, serving.requestTimeout(), serving.disconnectProbe(), null, item -> {
            Choice c = choices.get(item.choice());
            switch (item) {
                case GenerationGroup.Failure f -> failure[0] = f.error();
                case GenerationGroup.Event e -> {
                    switch (e.event()) {
                        case GenerationEvent.Token t -> {
                            c.tokens++;
                            c.clock.token();
                            if (plan.logprobs()) {
                                c.logprobs.add(OpenAiShapes.chatLogprob(tokenizer, t));
                            }
                            if (!c.filtered) {
                                emitText(plan, sse, id, created, c, t.text(), false);
                            }
                            if (c.filtered) {
                                group.cancelChoice(c.index);
                            }
                        }
                        case GenerationEvent.Finished f -> {
                            c.reason = f.reason();
                            c.stats = f.stats();
                            if (!c.filtered) {
                                emitText(plan, sse, id, created, c, f.text(), true);
                            }
                            if (!c.filtered) {
                                sse.send(chunk(plan, id, created, c.index, Map.of(), null,
                                        OpenAiShapes.finishReason(f.reason(), c.calledTools())));
                            }
                        }
                    }
                }
            }
        });
        if (outcome == ResponseLoop.Outcome.DISCONNECTED) {
            return;
        }
        try {
            if (outcome == ResponseLoop.Outcome.TIMED_OUT || failure[0] != null) {
                ApiException error = failure[0] != null ? ApiException.generationFailed(failure[0]) : ApiException.timeout(serving.requestTimeout());
                sse.send(error.toBody());
                return;
            }
            if (plan.sources() != null) {
                Map<String, Object> cites = base(id, created, plan);
                cites.put("choices", List.of());
                cites.put("citations", plan.sources().json());
                sse.send(cites);
            }
            if (plan.includeUsage()) {
                int completion = choices.stream().mapToInt(c -> c.tokens).sum();
                Map<String, Object> last = base(id, created, plan);
                last.put("choices", List.of());
                last.put("usage", OpenAiShapes.usage(plan.prompt().ids().length, completion, choices.getFirst().stats.cachedPromptTokens()));
                sse.send(last);
            }
            sse.done();
        } catch (IOException e) {
            // the client left after the last token: nothing is running any more
        }
    }

    /** Sends a choice's new text: as content, or as tool-call deltas once the output is a call. */
    private void emitText(Plan plan, SseWriter sse, String id, long created, Choice c, String text, boolean last) throws IOException {
        List<Map<String, Object>> logprobs = List.copyOf(c.logprobs);
        boolean sent = false;
        if (c.tools == null) {
            String released = text;
            OutputStreamRail.StreamChunk railed = null;
            if (c.rail != null) {
                railed = last ? railOnce(c, text) : c.rail.push(text);
                released = railed.text();
            }
            if (!released.isEmpty()) {
                sse.send(chunk(plan, id, created, c.index, Map.of("content", released), logprobs, null));
                sent = true;
            }
            if (railed != null && railed.stopped()) {
                // The rail found a blocked category before any of it left: end this choice here.
                c.filtered = true;
                guardrails.count(new Decision(dev.llmplatform.guardrails.Action.BLOCK, null, List.of(), railed.category()));
                sse.send(chunk(plan, id, created, c.index, Map.of(), null, "content_filter"));
                sse.send(OpenAiError.of("The response was stopped by the guardrails policy (category: " + railed.category() + ")",
                        "invalid_request_error", null, "content_filter"));
            }
        } else {
            List<ToolCallParser.Event> events = new ArrayList<>(c.tools.feed(text));
            if (last) {
                events.addAll(c.tools.finish());
            }
            for (ToolCallParser.Event e : events) {
                Map<String, Object> delta = switch (e) {
                    case ToolCallParser.Event.Content content -> Map.of("content", content.text());
                    case ToolCallParser.Event.CallStarted s -> Map.of("tool_calls", List.of(OpenAiShapes.ordered(
                            "index", s.index(), "id", OpenAiShapes.id("call_"), "type", "function",
                            "function", OpenAiShapes.ordered("name", s.name(), "arguments", ""))));
                    case ToolCallParser.Event.Arguments a -> Map.of("tool_calls", List.of(OpenAiShapes.ordered(
                            "index", a.index(), "function", Map.of("arguments", a.text()))));
                };
                sse.send(chunk(plan, id, created, c.index, delta, sent ? List.of() : logprobs, null));
                sent = true;
            }
        }
        if (sent) {
            c.logprobs.clear();
        }
    }

    /** The last piece of a railed stream: pushed, then the rail's held-back text released. */
    private static OutputStreamRail.StreamChunk railOnce(Choice c, String text) {
        OutputStreamRail.StreamChunk pushed = c.rail.push(text);
        if (pushed.stopped()) {
            return pushed;
        }
        OutputStreamRail.StreamChunk rest = c.rail.finish();
        return new OutputStreamRail.StreamChunk(pushed.text() + rest.text(), rest.stopped(), rest.category());
    }

    private Map<String, Object> base(String id, long created, Plan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("object", "chat.completion.chunk");
        m.put("created", created);
        m.put("model", plan.model().id());
        m.put("service_tier", "default");
        m.put("system_fingerprint", OpenAiShapes.FINGERPRINT);
        return m;
    }

    private Map<String, Object> chunk(Plan plan, String id, long created, int index, Map<String, Object> delta,
                                      List<Map<String, Object>> logprobs, String finishReason) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", index);
        choice.put("delta", delta);
        choice.put("logprobs", plan.logprobs() && logprobs != null ? logprobsObject(logprobs) : null);
        choice.put("finish_reason", finishReason);
        Map<String, Object> m = base(id, created, plan);
        m.put("choices", List.of(choice));
        if (plan.includeUsage()) {
            m.put("usage", null);
        }
        return m;
    }

    // ------------------------------------------------------------------ plain writes

    private static void probe(HttpServletResponse response) throws IOException {
        if (!response.isCommitted()) {
            response.setStatus(HttpStatus.OK.value());
            response.setContentType("application/json");
        }
        response.getOutputStream().write(' ');
        response.flushBuffer();
    }

    private void writeJson(HttpServletResponse response, Object body) throws IOException {
        if (!response.isCommitted()) {
            response.setStatus(HttpStatus.OK.value());
            response.setContentType("application/json");
        }
        try {
            response.getOutputStream().write(json.writeValueAsBytes(body));
            response.flushBuffer();
        } catch (IOException e) {
            // the client is gone; its generation has already ended
        }
    }

    /** An error after generation started: its status if nothing was written yet, else just the body. */
    private void writeError(HttpServletResponse response, ApiException error) throws IOException {
        if (!response.isCommitted()) {
            response.setStatus(error.status().value());
            response.setContentType("application/json");
        }
        writeJsonBody(response, error.toBody());
    }

    private void writeJsonBody(HttpServletResponse response, Object body) {
        try {
            response.getOutputStream().write(json.writeValueAsBytes(body));
            response.flushBuffer();
        } catch (IOException e) {
            // the client is gone
        }
    }
}
