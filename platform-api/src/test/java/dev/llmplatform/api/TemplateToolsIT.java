package dev.llmplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufTensor;
import dev.llmplatform.engine.gguf.GgufWriter;
import dev.llmplatform.engine.testing.SharedTestData;
import dev.llmplatform.structured.schema.SchemaValidator;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Tools through real chat templates that render them (Qwen 2.5's tagged calls, Llama 3.1's JSON calls):
 * the reference model's weights with the template written into the file, loaded at runtime.
 */
class TemplateToolsIT {
    @TempDir
    static Path dir;
    static TestServer server;
    static final ObjectMapper json = new ObjectMapper();
    static final String PARAMS = "{\"type\":\"object\",\"properties\":{\"city\":{\"enum\":[\"Oslo\",\"Lima\"]},"
            + "\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":3}},\"required\":[\"city\",\"days\"],\"additionalProperties\":false}";

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.get();
    }

    /** The reference model with {@code template} as its chat template. */
    static Path withTemplate(String name, Path template) throws Exception {
        Path out = dir.resolve(name + ".gguf");
        try (GgufFile source = GgufFile.open(SharedTestData.require("models/llama-spm-Q8_0.gguf"))) {
            GgufWriter w = new GgufWriter().putAll(source.metadata()).put("tokenizer.chat_template", Files.readString(template));
            for (GgufTensor t : source.tensors().values()) {
                ByteBuffer bytes = t.data().asByteBuffer();
                w.addTensor(t.name(), t.type(), t.shape(), ch -> GgufWriter.writeFully(ch, bytes.duplicate()));
            }
            w.write(out);
        }
        return out;
    }

    JsonNode toolCall(String model, String choice) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":200,\"temperature\":1,\"seed\":3,"
                + "\"messages\":[{\"role\":\"system\",\"content\":\"You help.\"},{\"role\":\"user\",\"content\":\"Weather in Oslo?\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"forecast\",\"description\":\"Weather\",\"parameters\":" + PARAMS + "}}],"
                + "\"tool_choice\":" + choice + "}";
        var r = server.post("/v1/chat/completions", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    void check(String model, Path file) throws Exception {
        var loaded = server.post("/v1/admin/models/" + model + "/load", "{\"path\":" + json.writeValueAsString(file.toString()) + ",\"ctx\":1024}");
        assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
        try {
            JsonNode r = toolCall(model, "\"required\"");
            assertThat(r.at("/choices/0/finish_reason").asString()).isEqualTo("tool_calls");
            String args = r.at("/choices/0/message/tool_calls/0/function/arguments").asString();
            assertThat(new SchemaValidator(PARAMS).violations(args)).as(args).isEmpty();
            // The template rendered the tool definitions: the prompt is longer than without tools.
            JsonNode none = toolCall(model, "\"none\"");
            assertThat(r.at("/usage/prompt_tokens").asInt()).isGreaterThan(none.at("/usage/prompt_tokens").asInt() + 20);
            // A conversation that carries the call and its result renders too.
            String followUp = "{\"model\":\"" + model + "\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
                    + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":"
                    + "{\"name\":\"forecast\",\"arguments\":" + json.writeValueAsString(args) + "}}]},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}],"
                    + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"forecast\",\"parameters\":" + PARAMS + "}}]}";
            var f = server.post("/v1/chat/completions", followUp);
            assertThat(f.statusCode()).as(f.body()).isEqualTo(200);
        } finally {
            server.post("/v1/admin/models/" + model + "/unload", "{}");
        }
    }

    @Test
    void qwenTemplateTaggedCalls() throws Exception {
        check("qwen-tools", withTemplate("qwen", SharedTestData.require("chat-templates/Qwen-Qwen2.5-7B-Instruct.jinja")));
    }

    @Test
    void llama31TemplateJsonCalls() throws Exception {
        check("llama31-tools", withTemplate("llama31", SharedTestData.require("chat-templates/meta-llama-Llama-3.1-8B-Instruct.jinja")));
    }
}
