package dev.llmplatform.engine.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every case of {@code chat-templates/renders.json}: real model templates rendered by Hugging Face
 * transformers' {@code apply_chat_template}; ours must be equal byte for byte, and the cases where the
 * template refuses the conversation must fail with the template's message.
 */
class ChatTemplateReferenceRendersTest {
    /** The renders were recorded with {@code strftime_now} returning "26 Jul 2024". */
    private static final Clock RECORDING_DAY = Clock.fixed(
            LocalDate.of(2024, 7, 26).atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

    @TestFactory
    Stream<DynamicTest> everyReferenceCase() throws IOException {
        Path dir = SharedTestData.require("chat-templates/renders.json").getParent();
        Map<String, Object> all = JsonMapper.builder().build()
                .readValue(Files.readString(dir.resolve("renders.json")), Map.class);
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Object> file : all.entrySet()) {
            ChatTemplate template = ChatTemplate.compile(Files.readString(dir.resolve(file.getKey())))
                    .withClock(RECORDING_DAY);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> cases = (List<Map<String, Object>>) file.getValue();
            for (Map<String, Object> c : cases) {
                String name = file.getKey() + " / " + c.get("conversation") + " gen=" + c.get("add_generation_prompt")
                        + " tools=" + (c.get("tools") != null);
                tests.add(DynamicTest.dynamicTest(name, () -> check(template, c)));
            }
        }
        assertThat(tests).hasSize(80);
        return tests.stream();
    }

    @SuppressWarnings("unchecked")
    private static void check(ChatTemplate template, Map<String, Object> c) {
        List<Map<String, Object>> messages = (List<Map<String, Object>>) c.get("messages");
        List<Map<String, Object>> tools = (List<Map<String, Object>>) c.get("tools");
        boolean generation = (Boolean) c.get("add_generation_prompt");
        String bos = (String) c.get("bos_token");
        String eos = (String) c.get("eos_token");
        if (c.containsKey("expected_error")) {
            assertThatThrownBy(() -> template.render(messages, tools, generation, bos, eos, Map.of()))
                    .isInstanceOf(ChatTemplateException.class)
                    .hasMessage((String) c.get("expected_error"))
                    .satisfies(e -> assertThat(((ChatTemplateException) e).raisedByTemplate()).isTrue());
        } else {
            assertThat(template.render(messages, tools, generation, bos, eos, Map.of()))
                    .isEqualTo((String) c.get("expected"));
        }
    }
}
