package dev.llmplatform.api.web;

import dev.llmplatform.api.config.PlatformProperties;
import dev.llmplatform.api.serving.GenerationGroup;
import dev.llmplatform.api.serving.ModelManager;
import dev.llmplatform.api.serving.SequencePool;
import dev.llmplatform.api.serving.ServedModel;
import dev.llmplatform.engine.runtime.FinishReason;
import dev.llmplatform.engine.runtime.GenerationEvent;
import dev.llmplatform.engine.runtime.GenerationRequest;
import dev.llmplatform.engine.runtime.LogProbs;
import dev.llmplatform.engine.runtime.Sequence;
import dev.llmplatform.engine.runtime.TokenLogprob;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.engine.tokenizer.Tokenizers;
import dev.llmplatform.guardrails.Decision;
import dev.llmplatform.guardrails.GuardSession;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code POST /v1/completions}, OpenAI's legacy text completions: {@code prompt} as a string, strings,
 * token ids or lists of token ids (each prompt gets {@code n} choices, indexed prompt by prompt),
 * {@code echo}, {@code logprobs} (an integer: alternatives per token), {@code stream}. No chat template:
 * the text is the model's input as written (BOS added as the vocabulary asks).
 */
@RestController
public class CompletionsController {
    /** OpenAI's default {@code max_tokens} for this endpoint. */
    static final int DEFAULT_MAX_TOKENS = 16;

    private final ModelManager models;
    private final PlatformProperties.Serving serving;
    private final ObjectMapper json;
    private final RequestAccounting accounting;
    private final GuardrailsGate guardrails;

    public CompletionsController(ModelManager models, PlatformProperties properties, ObjectMapper json,
                                 RequestAccounting accounting, GuardrailsGate guardrails) {
        this.models = models;
        this.accounting = accounting;
        this.guardrails = guardrails;
        this.serving = properties.serving();
        this.json = json;
    }

    private static final class Choice {
        final int index;
        final int prompt;
        final StringBuilder text = new StringBuilder();
        final List<String> tokens = new ArrayList<>();
        final List<Double> tokenLogprobs = new ArrayList<>();
        final List<Map<String, Double>> topLogprobs = new ArrayList<>();
        FinishReason reason;
        int generated;
        int cached;
        RequestAccounting.TokenClock clock;

        Choice(int index, int prompt) {
            this.index = index;
            this.prompt = prompt;
        }
    }

    @PostMapping("/v1/completions")
    public void create(@RequestBody JsonNode body, HttpServletRequest request, HttpServletResponse response)
            throws IOException, InterruptedException {
        RequestReader r = new RequestReader(body);
        ServedModel model = models.get(r.requiredString("model"));
        accounting.begin(request, model.id());
        if (r.has("suffix")) {
            throw ApiException.invalidRequest("'suffix' (fill-in-the-middle) is not supported by this server", "suffix");
        }
        if (r.has("best_of") && r.integer("best_of", 1, 1, 1) != 1) {
            throw ApiException.invalidRequest("'best_of' is not supported", "best_of");
        }
        boolean stream = r.bool("stream", false);
        JsonNode streamOptions = r.get("stream_options");
        boolean includeUsage = streamOptions != null && streamOptions.path("include_usage").asBoolean(false);
        boolean echo = r.bool("echo", false);
        Integer logprobs = r.integer("logprobs", null, 0, 5);
        Tokenizer tokenizer = model.tokenizer();
        GuardSession guard = guardrails.open(request);
        List<int[]> prompts = prompts(r.get("prompt"), tokenizer, text -> guardrails.input(guard, text, "prompt"));
        SamplingOptions sampling = SamplingOptions.read(r, tokenizer.vocabularySize(), accounting.maxN(model),
                logprobs == null ? -1 : logprobs);
        if ((long) prompts.size() * sampling.n() > model.pool().capacity()) {
            throw ApiException.invalidRequest("this request asks for " + prompts.size() * sampling.n() + " completions; the model runs at most "
                    + model.pool().capacity() + " at once", "n");
        }
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        int maxTokens = r.integer("max_tokens", DEFAULT_MAX_TOKENS, 0, Integer.MAX_VALUE);
        accounting.checkMaxTokens(maxTokens, "max_tokens");
        if (longest + (long) maxTokens > model.contextLength()) {
            throw ApiException.contextLengthExceeded(model.contextLength(), longest, maxTokens, "prompt");
        }
        List<GenerationRequest> requests = new ArrayList<>();
        List<Choice> choices = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            for (int i = 0; i < sampling.n(); i++) {
                Choice c = new Choice(choices.size(), p);
                c.clock = accounting.clock(model);
                choices.add(c);
                requests.add(new GenerationRequest(prompts.get(p), maxTokens, sampling.forChoice(i), sampling.stop(), Set.of(),
                        sampling.topLogprobs(), null));
            }
        }
        if (echo) {
            for (Choice c : choices) {
                int[] prompt = prompts.get(c.prompt);
                c.text.append(tokenizer.decode(prompt));
                if (logprobs != null) {
                    echoLogprobs(model, prompt, logprobs, c);
                }
            }
        }
        GenerationGroup group;
        try {
            group = GenerationGroup.start(model, requests, serving.queueTimeout().toMillis());
        } catch (SequencePool.BusyException e) {
            throw ApiException.overloaded(e.getMessage(), serving.queueTimeout());
        }
        String id = OpenAiShapes.id("cmpl-");
        long created = Instant.now().getEpochSecond();
        int promptTokens = prompts.stream().mapToInt(p -> p.length).sum();
        SseWriter sse = stream ? SseWriter.open(response, json) : null;
        if (sse != null && echo) {
            for (Choice c : choices) {
                sse.send(chunk(id, created, model, c, c.text.toString(), logprobs != null ? legacyLogprobs(c) : null, null, includeUsage));
            }
        }
        Throwable[] failure = new Throwable[1];
        ResponseLoop.Outcome outcome = ResponseLoop.run(group, serving.requestTimeout(), serving.disconnectProbe(),
                sse != null ? null : () -> {
                    response.setContentType("application/json");
                    response.getOutputStream().write(' ');
                    response.flushBuffer();
                }, item -> {
                    Choice c = choices.get(item.choice());
                    switch (item) {
                        case GenerationGroup.Failure f -> failure[0] = f.error();
                        case GenerationGroup.Event e -> {
                            String piece;
                            String finish = null;
                            Map<String, Object> lp = null;
                            switch (e.event()) {
                                case GenerationEvent.Token t -> {
                                    c.generated++;
                                    c.clock.token();
                                    piece = t.text();
                                    int before = c.tokens.size();
                                    if (logprobs != null) {
                                        c.tokens.add(OpenAiShapes.tokenText(tokenizer, t.id()));
                                        c.tokenLogprobs.add(OpenAiShapes.finite(t.logprob()));
                                        c.topLogprobs.add(top(tokenizer, t.topLogprobs()));
                                        lp = legacyLogprobs(c, before);
                                    }
                                }
                                case GenerationEvent.Finished f -> {
                                    piece = f.text();
                                    c.reason = f.reason();
                                    c.cached = f.stats().cachedPromptTokens();
                                    finish = OpenAiShapes.finishReason(f.reason(), false);
                                }
                            }
                            c.text.append(piece);
                            if (sse != null && (!piece.isEmpty() || finish != null || lp != null)) {
                                sse.send(chunk(id, created, model, c, piece, lp, finish, includeUsage));
                            }
                        }
                    }
                });
        if (outcome == ResponseLoop.Outcome.DISCONNECTED) {
            return;
        }
        ApiException error = failure[0] != null ? ApiException.generationFailed(failure[0])
                : outcome == ResponseLoop.Outcome.TIMED_OUT ? ApiException.timeout(serving.requestTimeout()) : null;
        int completion = choices.stream().mapToInt(c -> c.generated).sum();
        accounting.finish(request, model, promptTokens, choices.isEmpty() ? 0 : choices.getFirst().cached, completion);
        Map<String, Object> usage = OpenAiShapes.usage(promptTokens, completion, choices.isEmpty() ? 0 : choices.getFirst().cached);
        try {
            if (sse != null) {
                if (error != null) {
                    sse.send(error.toBody());
                    return;
                }
                if (includeUsage) {
                    Map<String, Object> last = base(id, created, model);
                    last.put("choices", List.of());
                    last.put("usage", usage);
                    sse.send(last);
                }
                sse.done();
                return;
            }
            if (!response.isCommitted()) {
                response.setStatus(error != null ? error.status().value() : 200);
                response.setContentType("application/json");
            }
            if (error != null) {
                response.getOutputStream().write(json.writeValueAsBytes(error.toBody()));
                response.flushBuffer();
                return;
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (Choice c : choices) {
                String text = c.text.toString();
                String finish = OpenAiShapes.finishReason(c.reason, false);
                Decision d = guardrails.output(guard, text);
                if (d != null && d.blocked()) {
                    text = "";
                    finish = "content_filter";
                } else if (d != null) {
                    text = d.text();
                }
                Map<String, Object> choice = new LinkedHashMap<>();
                choice.put("text", text);
                choice.put("index", c.index);
                choice.put("logprobs", logprobs != null ? legacyLogprobs(c) : null);
                choice.put("finish_reason", finish);
                out.add(choice);
            }
            Map<String, Object> result = base(id, created, model);
            result.put("choices", out);
            result.put("usage", usage);
            response.getOutputStream().write(json.writeValueAsBytes(result));
            response.flushBuffer();
        } catch (IOException e) {
            // the client is gone and nothing runs any more
        }
    }

    /** The {@code prompt} field: a string, strings, token ids, or lists of token ids. */
    private static List<int[]> prompts(JsonNode prompt, Tokenizer tokenizer, java.util.function.UnaryOperator<String> screen) {
        List<int[]> out = new ArrayList<>();
        if (prompt == null) {
            throw ApiException.invalidRequest("you must provide a 'prompt' parameter", "prompt");
        }
        if (prompt.isString()) {
            out.add(encode(tokenizer, screen.apply(prompt.asString())));
        } else if (prompt.isArray() && !prompt.isEmpty() && prompt.get(0).isIntegralNumber()) {
            out.add(ids(prompt, tokenizer));
        } else if (prompt.isArray() && !prompt.isEmpty()) {
            for (JsonNode p : prompt) {
                if (p.isString()) {
                    out.add(encode(tokenizer, screen.apply(p.asString())));
                } else if (p.isArray() && !p.isEmpty()) {
                    out.add(ids(p, tokenizer));
                } else {
                    throw ApiException.invalidRequest("'prompt' must be a string, an array of strings, or token arrays", "prompt");
                }
            }
        } else {
            throw ApiException.invalidRequest("'prompt' must be a non-empty string, an array of strings, or token arrays", "prompt");
        }
        return out;
    }

    private static int[] encode(Tokenizer tokenizer, String text) {
        int[] ids = Tokenizers.encodeWithSpecials(tokenizer, text, false);
        if (ids.length == 0) {
            throw ApiException.invalidRequest("'prompt' is empty", "prompt");
        }
        return ids;
    }

    private static int[] ids(JsonNode array, Tokenizer tokenizer) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode n = array.get(i);
            if (!n.isIntegralNumber() || n.asLong() < 0 || n.asLong() >= tokenizer.vocabularySize()) {
                throw ApiException.invalidRequest("'prompt' token ids must be integers in 0.." + (tokenizer.vocabularySize() - 1)
                        + ", got " + n, "prompt");
            }
            ids[i] = n.asInt();
        }
        return ids;
    }

    /** Log-probabilities of the prompt's own tokens, for {@code echo}: the first has none, as OpenAI reports. */
    private static void echoLogprobs(ServedModel model, int[] prompt, int top, Choice c) {
        Tokenizer tokenizer = model.tokenizer();
        int vocab = tokenizer.vocabularySize();
        c.tokens.add(OpenAiShapes.tokenText(tokenizer, prompt[0]));
        c.tokenLogprobs.add(null);
        c.topLogprobs.add(null);
        if (prompt.length == 1) {
            return;
        }
        Sequence seq = model.engine().newSequence(prompt.length, model.kvType());
        int[] scored = java.util.Arrays.copyOf(prompt, prompt.length - 1);
        seq.appendScoringAll(scored, (i, logits, off) -> {
            int next = prompt[i + 1];
            c.tokens.add(OpenAiShapes.tokenText(tokenizer, next));
            c.tokenLogprobs.add(OpenAiShapes.finite(LogProbs.logprob(logits, off, vocab, next)));
            c.topLogprobs.add(top(tokenizer, LogProbs.top(logits, off, vocab, top)));
        });
    }

    private static Map<String, Double> top(Tokenizer tokenizer, List<TokenLogprob> alternatives) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (TokenLogprob a : alternatives) {
            m.putIfAbsent(OpenAiShapes.tokenText(tokenizer, a.id()), OpenAiShapes.finite(a.logprob()));
        }
        return m;
    }

    private static Map<String, Object> legacyLogprobs(Choice c) {
        return legacyLogprobs(c, 0);
    }

    /** OpenAI's legacy {@code logprobs} object for the tokens from {@code from} on. */
    private static Map<String, Object> legacyLogprobs(Choice c, int from) {
        List<Integer> offsets = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < c.tokens.size(); i++) {
            if (i >= from) {
                offsets.add(offset);
            }
            offset += c.tokens.get(i).length();
        }
        Map<String, Object> lp = new LinkedHashMap<>();
        lp.put("tokens", new ArrayList<>(c.tokens.subList(from, c.tokens.size())));
        lp.put("token_logprobs", new ArrayList<>(c.tokenLogprobs.subList(from, c.tokenLogprobs.size())));
        lp.put("top_logprobs", new ArrayList<>(c.topLogprobs.subList(from, c.topLogprobs.size())));
        lp.put("text_offset", offsets);
        return lp;
    }

    private static Map<String, Object> base(String id, long created, ServedModel model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("object", "text_completion");
        m.put("created", created);
        m.put("model", model.id());
        m.put("system_fingerprint", OpenAiShapes.FINGERPRINT);
        return m;
    }

    private static Map<String, Object> chunk(String id, long created, ServedModel model, Choice c, String text,
                                             Map<String, Object> logprobs, String finish, boolean includeUsage) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("text", text);
        choice.put("index", c.index);
        choice.put("logprobs", logprobs);
        choice.put("finish_reason", finish);
        Map<String, Object> m = base(id, created, model);
        m.put("choices", List.of(choice));
        if (includeUsage) {
            m.put("usage", null);
        }
        return m;
    }
}
