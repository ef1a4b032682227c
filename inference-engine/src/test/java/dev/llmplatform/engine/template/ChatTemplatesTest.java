package dev.llmplatform.engine.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.gguf.GgufMetadata;
import dev.llmplatform.engine.gguf.GgufValue;
import dev.llmplatform.engine.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ChatTemplatesTest {
    private static final List<Map<String, Object>> CONVERSATION = List.of(
            Map.of("role", "system", "content", "Be brief."),
            Map.of("role", "user", "content", "Hi"),
            Map.of("role", "assistant", "content", "Hello!"),
            Map.of("role", "user", "content", "Bye"));

    private static GgufMetadata metadata(String arch, String[] tokens, String template) {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("general.architecture", GgufValue.of(arch));
        m.put("tokenizer.ggml.tokens", GgufValue.of(tokens));
        m.put("tokenizer.ggml.bos_token_id", GgufValue.ofUint32(1));
        m.put("tokenizer.ggml.eos_token_id", GgufValue.ofUint32(2));
        if (template != null) {
            m.put("tokenizer.chat_template", GgufValue.of(template));
        }
        return new GgufMetadata(m);
    }

    @Test
    void theModelsOwnTemplateWins() {
        GgufMetadata m = metadata("llama", new String[] {"<unk>", "<s>", "</s>"}, "{{ bos_token }}{{ messages[0].content }}");
        ChatTemplate t = ChatTemplates.forModel(m);
        assertThat(t.name()).isEqualTo("gguf");
        assertThat(t.render(CONVERSATION, null, false, "<s>", "</s>", null)).isEqualTo("<s>Be brief.");
        assertThat(ChatTemplates.bosToken(m)).contains("<s>");
        assertThat(ChatTemplates.eosToken(m)).contains("</s>");
        assertThat(ChatTemplates.specialTokens(m)).containsExactly(Map.entry("bos_token", "<s>"), Map.entry("eos_token", "</s>"));
    }

    @Test
    void aToolUseVariantIsPreferredWhenToolsArePassed() {
        Map<String, GgufValue> entries = new LinkedHashMap<>(metadata("llama", new String[] {"a"}, "plain").entries());
        entries.put("tokenizer.chat_template.tool_use", GgufValue.of("tools"));
        GgufMetadata m = new GgufMetadata(entries);
        assertThat(ChatTemplates.forModel(m, true).render(CONVERSATION, List.of(), false, "", "", null)).isEqualTo("tools");
        assertThat(ChatTemplates.forModel(m, false).render(CONVERSATION, null, false, "", "", null)).isEqualTo("plain");
    }

    @Test
    void withoutATemplateTheFallbackFollowsTheVocabularyThenTheArchitecture() {
        assertThat(ChatTemplates.guessFallback(metadata("llama", new String[] {"<|start_header_id|>", "<|eot_id|>"}, null)))
                .isEqualTo("llama3");
        assertThat(ChatTemplates.guessFallback(metadata("qwen2", new String[] {"<|im_start|>", "<|im_end|>"}, null)))
                .isEqualTo("chatml");
        assertThat(ChatTemplates.guessFallback(metadata("gemma2", new String[] {"<s>"}, null))).isEqualTo("gemma");
        assertThat(ChatTemplates.guessFallback(metadata("phi3", new String[] {"<s>"}, null))).isEqualTo("phi3");
        assertThat(ChatTemplates.guessFallback(metadata("llama", new String[] {"<s>"}, null))).isEqualTo("mistral");
        assertThat(ChatTemplates.guessFallback(metadata("qwen2", new String[] {"<|endoftext|>"}, null))).isEqualTo("chatml");
        assertThat(ChatTemplates.forModel(metadata("gemma2", new String[] {"<s>"}, null)).name()).isEqualTo("gemma");
        assertThatThrownBy(() -> ChatTemplates.fallback("vicuna")).hasMessageContaining("chatml, llama3, gemma, phi3, mistral");
    }

    @Test
    void theReferenceModelFilesResolveTemplatesAndTokens() throws IOException {
        Path models = SharedTestData.require("models/phi3-Q8_0.gguf").getParent();
        try (var phi3 = dev.llmplatform.engine.gguf.GgufFile.open(models.resolve("phi3-Q8_0.gguf"));
             var gemma = dev.llmplatform.engine.gguf.GgufFile.open(models.resolve("gemma2-Q8_0.gguf"))) {
            assertThat(ChatTemplates.forModel(phi3.metadata()).name()).isEqualTo("gguf");
            assertThat(ChatTemplates.eosToken(phi3.metadata())).contains("<|endoftext|>");
            assertThat(ChatTemplates.forModel(gemma.metadata()).name()).isEqualTo("gemma");
            assertThat(ChatTemplates.bosToken(gemma.metadata())).contains("<s>");
        }
    }

    /** Where a fallback's format is a real model's, it must render as that model's own template does. */
    @Test
    @SuppressWarnings("unchecked")
    void fallbacksRenderLikeTheTemplatesTheyStandFor() throws IOException {
        Path dir = SharedTestData.require("chat-templates/renders.json").getParent();
        Map<String, List<Map<String, Object>>> renders = JsonMapper.builder().build()
                .readValue(Files.readString(dir.resolve("renders.json")), Map.class);
        int compared = 0;
        compared += compare(renders.get("Qwen-Qwen2.5-7B-Instruct.jinja"), "chatml", c -> c.get("tools") == null
                && ((List<Map<String, Object>>) c.get("messages")).getFirst().get("role").equals("system"));
        compared += compare(renders.get("microsoft-Phi-3.5-mini-instruct.jinja"), "phi3", c -> true);
        compared += compare(renders.get("google-gemma-2-2b-it.jinja"), "gemma", c -> c.containsKey("expected"));
        assertThat(compared).isEqualTo(3 + 5 + 2);
    }

    @SuppressWarnings("unchecked")
    private static int compare(List<Map<String, Object>> cases, String fallback,
                               java.util.function.Predicate<Map<String, Object>> applies) {
        int n = 0;
        for (Map<String, Object> c : cases) {
            if (!applies.test(c)) {
                continue;
            }
            String rendered = ChatTemplates.fallback(fallback).render((List<Map<String, Object>>) c.get("messages"),
                    null, (Boolean) c.get("add_generation_prompt"), (String) c.get("bos_token"), (String) c.get("eos_token"), null);
            assertThat(rendered).as(fallback + " / " + c.get("conversation")).isEqualTo(c.get("expected"));
            n++;
        }
        return n;
    }

    @Test
    void fallbacksFoldSystemPromptsWhereTheFormatHasNone() {
        assertThat(ChatTemplates.fallback("llama3").render(CONVERSATION, null, true, "<|begin_of_text|>", "", null))
                .isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n");
        assertThat(ChatTemplates.fallback("mistral").render(CONVERSATION, null, true, "<s>", "</s>", null))
                .isEqualTo("<s>[INST] Be brief.\n\nHi [/INST] Hello!</s>[INST] Bye [/INST]");
        assertThat(ChatTemplates.fallback("gemma").render(CONVERSATION, null, true, "<bos>", "", null))
                .isEqualTo("<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n"
                        + "<start_of_turn>user\nBye<end_of_turn>\n<start_of_turn>model\n");
    }

    @Test
    void contentGivenAsPartsIsJoined() {
        List<Map<String, Object>> parts = List.of(Map.of("role", "user", "content",
                List.of(Map.of("type", "text", "text", "a"), Map.of("type", "image_url", "image_url", "x"),
                        Map.of("type", "text", "text", "b"))));
        assertThat(ChatTemplates.fallback("chatml").render(parts, null, false, "", "", null))
                .isEqualTo("<|im_start|>user\nab<|im_end|>\n");
    }

    @Test
    void raisedErrorsKeepTheTemplatesMessageAndSyntaxErrorsTheirPosition() {
        ChatTemplate t = ChatTemplate.compile("{% if messages[0].role == 'system' %}{{ raise_exception('No system, please') }}{% endif %}");
        assertThatThrownBy(() -> t.render(CONVERSATION, null, false, "", "", null))
                .isInstanceOf(ChatTemplateException.class).hasMessage("No system, please")
                .satisfies(e -> assertThat(((ChatTemplateException) e).raisedByTemplate()).isTrue());
        assertThatThrownBy(() -> ChatTemplate.compile("ok\n{% for m in messages %}"))
                .isInstanceOf(ChatTemplateException.class)
                .satisfies(e -> {
                    ChatTemplateException c = (ChatTemplateException) e;
                    assertThat(c.line()).isEqualTo(2);
                    assertThat(c.raisedByTemplate()).isFalse();
                    assertThat(c.getMessage()).endsWith("(line 2, column 24)");
                });
    }

    @Test
    void strftimeNowReadsTheInjectedClockAndExtraVariablesAreVisible() {
        ChatTemplate t = ChatTemplate.compile("{{ strftime_now('%d %b %Y %H:%M %A %B %j %y %m %p %%') }}|{{ enable_thinking }}|{{ tools is defined }}")
                .withClock(Clock.fixed(Instant.parse("2024-07-26T15:04:05Z"), ZoneOffset.UTC));
        assertThat(t.render(CONVERSATION, null, false, "", "", Map.of("enable_thinking", false)))
                .isEqualTo("26 Jul 2024 15:04 Friday July 208 24 07 PM %|False|False");
        assertThat(t.render(CONVERSATION, List.of(), false, "", "", null)).endsWith("|True");
    }
}
