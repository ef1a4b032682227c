package dev.llmplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.api.serving.ModelManager;
import dev.llmplatform.api.serving.SequencePool;
import dev.llmplatform.api.serving.ServedModel;
import dev.llmplatform.engine.runtime.FinishReason;
import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.runtime.GenerationRequest;
import dev.llmplatform.engine.runtime.SamplingParams;
import dev.llmplatform.structured.schema.SchemaValidator;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The serving runtime over raw HTTP: wire format byte for byte, batching, overload, cancellation. */
class ServingHttpIT {
    static TestServer server;
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.get();
    }

    static String chat(String model, String content, int maxTokens, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":" + json.writeValueAsString(content)
                + "}],\"max_tokens\":" + maxTokens + ",\"temperature\":0" + extra + "}";
    }

    static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    @Test
    void sseFramingIsOpenAisByteForByte() throws Exception {
        HttpResponse<String> r = server.post("/v1/chat/completions",
                chat(TestServer.MODEL, "Tell me a story", 6, ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        String body = r.body();
        // Every event is exactly "data: <payload>\n\n"; the stream ends with the [DONE] event.
        assertThat(body).endsWith("data: [DONE]\n\n");
        String[] events = body.split("\n\n", -1);
        assertThat(events[events.length - 1]).isEmpty();
        List<JsonNode> chunks = new ArrayList<>();
        for (int i = 0; i < events.length - 2; i++) {
            assertThat(events[i]).startsWith("data: {").doesNotContain("\n");
            chunks.add(json.readTree(events[i].substring("data: ".length())));
        }
        JsonNode first = chunks.getFirst();
        assertThat(first.get("object").asString()).isEqualTo("chat.completion.chunk");
        assertThat(first.get("id").asString()).startsWith("chatcmpl-");
        assertThat(first.at("/choices/0/delta/role").asString()).isEqualTo("assistant");
        String id = first.get("id").asString();
        StringBuilder content = new StringBuilder();
        for (JsonNode c : chunks.subList(0, chunks.size() - 1)) {
            assertThat(c.get("id").asString()).isEqualTo(id);
            assertThat(c.has("usage")).isTrue();
            assertThat(c.get("usage").isNull()).isTrue();
            content.append(c.at("/choices/0/delta/content").asString(""));
        }
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.at("/choices/0/finish_reason").asString()).isEqualTo("length");
        assertThat(finish.at("/choices/0/delta").isEmpty()).isTrue();
        JsonNode usage = chunks.getLast();
        assertThat(usage.get("choices").isEmpty()).isTrue();
        assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(6);
        // The same request without streaming produces the same text.
        JsonNode whole = ok(server.post("/v1/chat/completions", chat(TestServer.MODEL, "Tell me a story", 6, "")));
        assertThat(whole.at("/choices/0/message/content").asString()).isEqualTo(content.toString());
        assertThat(whole.at("/usage/prompt_tokens").asInt()).isEqualTo(usage.at("/usage/prompt_tokens").asInt());
    }

    @Test
    void greedyOutputIsTheEnginesOwnAndBatchInvariant() throws Exception {
        // Alone, through the engine directly (no server): the reference tokens for each prompt.
        List<String> prompts = List.of("The capital of France", "One two three", "Hello there, how", "A long time ago",
                "def fib(n):", "Ingredients:", "Dear Sir,", "In 1492");
        List<String> alone = new ArrayList<>();
        try (Engine engine = Engine.load(server.modelFile)) {
            for (String p : prompts) {
                int[] ids = engine.chatPrompt().render(List.of(java.util.Map.of("role", "user", "content", p)), null, true);
                var result = engine.generate(engine.newSequence(1024), GenerationRequest.of(ids, 12, SamplingParams.greedy()), e -> { });
                alone.add(result.text());
            }
        }
        // Eight concurrent requests, decoded together by the server's scheduler.
        ExecutorService pool = Executors.newFixedThreadPool(prompts.size());
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (String p : prompts) {
                Callable<String> call = () -> ok(server.post("/v1/chat/completions", chat(TestServer.MODEL, p, 12, "")))
                        .at("/choices/0/message/content").asString();
                futures.add(pool.submit(call));
            }
            for (int i = 0; i < prompts.size(); i++) {
                assertThat(futures.get(i).get()).as(prompts.get(i)).isEqualTo(alone.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void prefixCacheReportsCachedTokens() throws Exception {
        String longSystem = "You are a careful assistant. ".repeat(20);
        String body = "{\"model\":\"single\",\"max_tokens\":2,\"temperature\":0,\"messages\":[{\"role\":\"system\",\"content\":\""
                + longSystem + "\"},{\"role\":\"user\",\"content\":\"%s\"}]}";
        ok(server.post("/v1/chat/completions", body.formatted("first question")));
        JsonNode second = ok(server.post("/v1/chat/completions", body.formatted("second question")));
        int prompt = second.at("/usage/prompt_tokens").asInt();
        int cached = second.at("/usage/prompt_tokens_details/cached_tokens").asInt();
        assertThat(cached).isGreaterThan(prompt / 2).isLessThan(prompt);
    }

    @Test
    void overloadGets429WithRetryAfter() throws Exception {
        SequencePool single = server.bean(ModelManager.class).get(TestServer.SINGLE).pool();
        HttpResponse<InputStream> running = server.http.send(server.request("/v1/chat/completions",
                chat(TestServer.SINGLE, "occupy the only slot", 2000, ",\"stream\":true")), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = running.body()) {
            in.read(new byte[64]); // generation has started: the slot is taken
            HttpResponse<String> rejected = server.post("/v1/chat/completions", chat(TestServer.SINGLE, "me too", 4, ""));
            PlatformHttpIT.assertOpenAiError(rejected, 429);
            assertThat(rejected.headers().firstValue("Retry-After")).isPresent();
            assertThat(json.readTree(rejected.body()).at("/error/code").asString()).isEqualTo("server_overloaded");
        }
        awaitFree(single);
    }

    @Test
    void aStreamingClientThatDisconnectsStopsItsGeneration() throws Exception {
        ServedModel model = server.bean(ModelManager.class).get(TestServer.SINGLE);
        SequencePool single = model.pool();
        awaitFree(single);
        long cancelled = model.finished(FinishReason.CANCELLED);
        // The small model would end this answer after some twenty tokens, possibly before the client has left:
        // with its end tokens banned it runs until cancelled.
        HttpResponse<InputStream> r = server.http.send(server.request("/v1/chat/completions",
                chat(TestServer.SINGLE, "a long answer please", 1900, ",\"stream\":true," + banEnd(model))), HttpResponse.BodyHandlers.ofInputStream());
        InputStream in = r.body();
        byte[] buf = new byte[4096];
        int total = 0;
        while (total < 2000) {
            total += Math.max(0, in.read(buf));
        }
        in.close();
        awaitFree(single);
        // It ended as cancelled, before its 1,900 tokens.
        assertThat(model.finished(FinishReason.CANCELLED)).isEqualTo(cancelled + 1);
    }

    @Test
    void aNonStreamingClientThatDisconnectsStopsItsGeneration() throws Exception {
        ServedModel model = server.bean(ModelManager.class).get(TestServer.SINGLE);
        SequencePool single = model.pool();
        awaitFree(single);
        long cancelled = model.finished(FinishReason.CANCELLED);
        var pending = server.http.sendAsync(server.request("/v1/chat/completions",
                chat(TestServer.SINGLE, "another long answer", 1900, "," + banEnd(model))), HttpResponse.BodyHandlers.ofString());
        while (single.inUse() == 0 && !pending.isDone()) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
        pending.cancel(true); // the JDK client closes the connection
        awaitFree(single);
        assertThat(model.finished(FinishReason.CANCELLED)).isEqualTo(cancelled + 1);
    }

    /** A {@code logit_bias} member that bans the model's end-of-sequence and end-of-turn tokens. */
    private static String banEnd(ServedModel model) {
        var special = model.tokenizer().specialTokens();
        return java.util.stream.IntStream.of(special.eos(), special.eot()).filter(id -> id >= 0).distinct()
                .mapToObj(id -> "\"" + id + "\":-100").collect(java.util.stream.Collectors.joining(",", "\"logit_bias\":{", "}"));
    }

    private static void awaitFree(SequencePool pool) throws InterruptedException {
        for (int i = 0; i < 600 && pool.inUse() > 0; i++) {
            Thread.sleep(50);
        }
        assertThat(pool.inUse()).as("the generation slot is released").isZero();
    }

    @Test
    void contextLengthAndSchemaErrorsAreClear() throws Exception {
        HttpResponse<String> r = server.post("/v1/chat/completions", chat(TestServer.MODEL, "hi", 5000, ""));
        PlatformHttpIT.assertOpenAiError(r, 400);
        JsonNode e = json.readTree(r.body()).get("error");
        assertThat(e.get("code").asString()).isEqualTo("context_length_exceeded");
        assertThat(e.get("message").asString()).contains("1024").contains("5000");
        r = server.post("/v1/chat/completions", chat(TestServer.MODEL, "hi", 5,
                ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":"
                        + "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/nope\"}}}}}"));
        PlatformHttpIT.assertOpenAiError(r, 400);
        assertThat(json.readTree(r.body()).at("/error/message").asString()).contains("#/properties/a");
        PlatformHttpIT.assertOpenAiError(server.post("/v1/completions",
                "{\"model\":\"tiny\",\"prompt\":\"a\",\"suffix\":\"b\"}"), 400);
        PlatformHttpIT.assertOpenAiError(server.post("/v1/chat/completions", chat(TestServer.MODEL, "hi", 5, ",\"temperature\":7")), 400);
        PlatformHttpIT.assertOpenAiError(server.post("/v1/chat/completions", chat(TestServer.MODEL, "hi", 5, ",\"n\":99")), 400);
        PlatformHttpIT.assertOpenAiError(server.post("/v1/embeddings", "{\"model\":\"default\",\"input\":\"x\",\"dimensions\":12}"), 400);
        PlatformHttpIT.assertOpenAiError(server.post("/v1/embeddings", "{\"model\":\"nope\",\"input\":\"x\"}"), 404);
    }

    @Test
    void jsonSchemaOutputIsValid() throws Exception {
        String schema = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":10},"
                + "\"age\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":150}},\"required\":[\"name\",\"age\"],\"additionalProperties\":false}";
        JsonNode r = ok(server.post("/v1/chat/completions", chat(TestServer.MODEL, "a person", 200,
                ",\"temperature\":1,\"seed\":7,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"p\",\"strict\":true,\"schema\":" + schema + "}}")));
        String content = r.at("/choices/0/message/content").asString();
        assertThat(r.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(new SchemaValidator(schema).violations(content)).isEmpty();
        assertThat(r.at("/choices/0/schema_validation/valid").asBoolean()).isTrue();
    }

    @Test
    void toolArgumentsAlwaysParseAndValidate() throws Exception {
        String params = "{\"type\":\"object\",\"properties\":{\"unit\":{\"enum\":[\"celsius\",\"fahrenheit\"]},"
                + "\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":7}},\"required\":[\"unit\",\"days\"],\"additionalProperties\":false}";
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"forecast\",\"parameters\":" + params + "}}]";
        for (int seed = 0; seed < 3; seed++) {
            JsonNode r = ok(server.post("/v1/chat/completions", chat(TestServer.MODEL, "weather?", 300,
                    tools + ",\"tool_choice\":\"required\",\"parallel_tool_calls\":false,\"temperature\":1,\"seed\":" + seed)));
            assertThat(r.at("/choices/0/finish_reason").asString()).isEqualTo("tool_calls");
            assertThat(r.at("/choices/0/message/content").isNull()).isTrue();
            JsonNode call = r.at("/choices/0/message/tool_calls/0");
            assertThat(call.get("id").asString()).startsWith("call_");
            assertThat(call.get("type").asString()).isEqualTo("function");
            assertThat(call.at("/function/name").asString()).isEqualTo("forecast");
            String args = call.at("/function/arguments").asString();
            assertThat(new SchemaValidator(params).violations(args)).as(args).isEmpty();
        }
    }

    @Test
    void streamedToolCallsArriveAsDeltas() throws Exception {
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"ping\",\"parameters\":"
                + "{\"type\":\"object\",\"properties\":{\"host\":{\"enum\":[\"a\",\"b\"]}},\"required\":[\"host\"],\"additionalProperties\":false}}}]";
        HttpResponse<String> r = server.post("/v1/chat/completions", chat(TestServer.MODEL, "ping", 200,
                tools + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"ping\"}},\"stream\":true"));
        StringBuilder args = new StringBuilder();
        String name = null;
        String finish = null;
        for (String event : r.body().split("\n\n")) {
            if (!event.startsWith("data: {")) {
                continue;
            }
            JsonNode c = json.readTree(event.substring(6));
            JsonNode call = c.at("/choices/0/delta/tool_calls/0");
            if (!call.isMissingNode()) {
                assertThat(call.get("index").asInt()).isZero();
                if (call.at("/function/name").isString()) {
                    name = call.at("/function/name").asString();
                    assertThat(call.get("id").asString()).startsWith("call_");
                }
                args.append(call.at("/function/arguments").asString(""));
            }
            if (c.at("/choices/0/finish_reason").isString()) {
                finish = c.at("/choices/0/finish_reason").asString();
            }
        }
        assertThat(name).isEqualTo("ping");
        assertThat(finish).isEqualTo("tool_calls");
        assertThat(json.readTree(args.toString()).get("host").asString()).isIn("a", "b");
    }

    @Test
    void completionsEchoAndLogprobs() throws Exception {
        JsonNode r = ok(server.post("/v1/completions",
                "{\"model\":\"tiny\",\"prompt\":\"Once upon a time\",\"max_tokens\":3,\"temperature\":0,\"echo\":true,\"logprobs\":2}"));
        assertThat(r.get("object").asString()).isEqualTo("text_completion");
        JsonNode choice = r.at("/choices/0");
        assertThat(choice.get("text").asString()).startsWith("Once upon a time");
        JsonNode lp = choice.get("logprobs");
        int n = lp.get("tokens").size();
        assertThat(lp.get("token_logprobs")).hasSize(n);
        assertThat(lp.get("text_offset")).hasSize(n);
        assertThat(lp.get("token_logprobs").get(0).isNull()).isTrue();
        assertThat(lp.get("top_logprobs").get(n - 1).size()).isBetween(1, 2);
        assertThat(r.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        // token-id prompts and several prompts: one choice each
        JsonNode multi = ok(server.post("/v1/completions", "{\"model\":\"tiny\",\"prompt\":[[1,15043],[1,3186]],\"max_tokens\":2}"));
        assertThat(multi.get("choices")).hasSize(2);
    }

    @Test
    void embeddingsFloatAndBase64Agree() throws Exception {
        JsonNode f = ok(server.post("/v1/embeddings", "{\"model\":\"default\",\"input\":[\"hello world\",\"good morning\"]}"));
        JsonNode b = ok(server.post("/v1/embeddings", "{\"model\":\"default\",\"input\":\"good morning\",\"encoding_format\":\"base64\"}"));
        assertThat(f.get("data")).hasSize(2);
        assertThat(f.at("/data/1/index").asInt()).isEqualTo(1);
        JsonNode vector = f.at("/data/1/embedding");
        assertThat(vector).hasSize(384);
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(b.at("/data/0/embedding").asString())).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 384; i++) {
            assertThat(bytes.getFloat()).isEqualTo((float) vector.get(i).asDouble());
        }
        assertThat(f.at("/usage/prompt_tokens").asInt()).isGreaterThan(4);
    }

    @Test
    void tokenizeAndDetokenizeRoundTrip() throws Exception {
        JsonNode t = ok(server.post("/tokenize", "{\"model\":\"tiny\",\"content\":\"Hello world\"}"));
        JsonNode d = ok(server.post("/detokenize", "{\"model\":\"tiny\",\"tokens\":" + t.get("tokens") + "}"));
        assertThat(d.get("content").asString()).isEqualTo("Hello world");
        JsonNode pieces = ok(server.post("/tokenize", "{\"content\":\"Hello\",\"with_pieces\":true}"));
        assertThat(pieces.at("/tokens/0/piece").asString()).isEqualTo(" Hello");
    }

    @Test
    void modelsLoadAndUnloadAtRuntime() throws Exception {
        String body = "{\"path\":" + json.writeValueAsString(server.modelFile.toString()) + ",\"parallel\":2,\"ctx\":256}";
        JsonNode loaded = ok(server.post("/v1/admin/models/extra/load", body));
        assertThat(loaded.get("parallel").asInt()).isEqualTo(2);
        assertThat(loaded.get("context_length").asInt()).isEqualTo(256);
        ok(server.post("/v1/chat/completions", chat("extra", "hi", 2, "")));
        PlatformHttpIT.assertOpenAiError(server.post("/v1/admin/models/extra/load", body), 409);
        ok(server.post("/v1/admin/models/extra/unload", "{}"));
        PlatformHttpIT.assertOpenAiError(server.post("/v1/chat/completions", chat("extra", "hi", 2, "")), 404);
        PlatformHttpIT.assertOpenAiError(server.post("/v1/admin/models/extra/unload", "{}"), 404);
        PlatformHttpIT.assertOpenAiError(server.post("/v1/admin/models/not-in-registry/load", "{}"), 404);
    }

    @Test
    void servingIsMeasuredInPrometheus() throws Exception {
        // The e-mail address makes the input rail decide (redact), so the decision counter has a sample.
        ok(server.post("/v1/chat/completions", chat(TestServer.MODEL, "count me, then write to dana@example.com", 3, "")));
        ok(server.post("/v1/embeddings", "{\"model\":\"default\",\"input\":[\"a\",\"b\"]}"));
        // The same schema twice: one compile (a miss), then the cached grammar (a hit).
        String schema = ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"m\",\"schema\":"
                + "{\"type\":\"object\",\"properties\":{\"metrics_probe\":{\"type\":\"boolean\"}},\"required\":[\"metrics_probe\"]}}}";
        ok(server.post("/v1/chat/completions", chat(TestServer.MODEL, "a flag", 12, schema)));
        ok(server.post("/v1/chat/completions", chat(TestServer.MODEL, "a flag", 12, schema)));
        ok(server.post("/v1/collections", "{\"name\":\"metrics-probe\"}"));
        ok(server.post("/v1/collections/metrics-probe/documents",
                "{\"documents\":[{\"id\":\"d1\",\"text\":\"Invoices are paid within thirty days.\"}]}"));
        String scrape = server.get("/actuator/prometheus").body();
        for (String meter : List.of("llmp_time_to_first_token_seconds_bucket{model=\"tiny\"",
                "llmp_inter_token_latency_seconds_count{model=\"tiny\"", "llmp_tokens_completion_tokens_total{model=\"tiny\"",
                "llmp_tokens_prompt_tokens_total{model=\"tiny\"",
                "llmp_embeddings_total{model=\"default\"", "llmp_sequences_active{model=\"tiny\"",
                "llmp_queue_depth{model=\"tiny\"", "llmp_kv_cache_usage_ratio{model=\"tiny\"",
                "llmp_prefix_cache_hit_ratio{model=\"tiny\"", "llmp_ingest_chunks_total{collection=\"metrics-probe\"} 1.0",
                "http_server_requests_seconds_count", "llmp_grammar_cache_size{model=\"tiny\"",
                "llmp_grammar_compile_seconds_total{model=\"tiny\"")) {
            assertThat(scrape).as(meter).contains(meter);
        }
        assertThat(sample(scrape, "llmp_grammar_cache_misses_total{model=\"tiny\"}")).isGreaterThanOrEqualTo(1);
        assertThat(sample(scrape, "llmp_grammar_cache_hits_total{model=\"tiny\"}")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.lines()).as("guardrail decisions by category and action")
                .anyMatch(l -> l.startsWith("llmp_guardrail_decisions_total{") && l.contains("category=\"EMAIL_ADDRESS\""));
    }

    @Test
    void benchServeDrivesTheServerWithoutErrors() throws Exception {
        var options = dev.llmplatform.api.bench.ServeBenchmarkOptions.of(
                dev.llmplatform.api.bench.BenchmarkTarget.parse(server.base + "/v1"), TestServer.MODEL, 4, 8, 40, 6);
        try (var bench = new dev.llmplatform.api.bench.ServeBenchmark(options)) {
            var result = bench.run();
            assertThat(result.errors()).as(String.valueOf(result.firstError())).isZero();
            assertThat(result.completed()).isEqualTo(8);
            assertThat(result.outputTokens()).isEqualTo(8 * 6);
            assertThat(result.tokenCounting().name()).isEqualTo("USAGE");
        }
    }

    static int count(String text, String pattern) {
        Matcher m = Pattern.compile(Pattern.quote(pattern)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The value of the Prometheus sample {@code series} (name and labels exactly as scraped). */
    private static double sample(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + series));
    }
}
