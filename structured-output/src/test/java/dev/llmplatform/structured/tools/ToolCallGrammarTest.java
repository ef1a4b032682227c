package dev.llmplatform.structured.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.structured.JsonSchemaOutput;
import dev.llmplatform.structured.json.Json;
import dev.llmplatform.structured.matcher.ByteMatcher;
import dev.llmplatform.structured.matcher.GrammarCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolCallGrammarTest {
    @SuppressWarnings("unchecked")
    private static final ToolFunction WEATHER = new ToolFunction("get_weather", "Weather for a city",
            (Map<String, Object>) Json.parse("""
                    {"type":"object","properties":{"city":{"type":"string"},"unit":{"enum":["c","f"]}},
                     "required":["city"],"additionalProperties":false}"""));
    private static final ToolFunction TIME = new ToolFunction("get_time", null, Map.of());

    private static ByteMatcher matcher(ToolCallSyntax syntax, ToolCallGrammar.Mode mode, boolean parallel) {
        return new ByteMatcher(GrammarCompiler.compile(
                ToolCallGrammar.build(syntax, List.of(WEATHER, TIME), mode, parallel, null).grammar()));
    }

    @Test
    void requiredAcceptsOnlyValidCalls() {
        ByteMatcher m = matcher(ToolCallSyntax.TAGGED, ToolCallGrammar.Mode.REQUIRED, false);
        assertThat(m.matches("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\":\"Oslo\"}}\n</tool_call>")).isTrue();
        assertThat(m.matches("<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>")).isTrue();
        // missing required member, unknown function, wrong enum value, free text
        assertThat(m.matches("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {}}\n</tool_call>")).isFalse();
        assertThat(m.matches("<tool_call>\n{\"name\": \"rm_rf\", \"arguments\": {}}\n</tool_call>")).isFalse();
        assertThat(m.matches("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\":\"a\",\"unit\":\"k\"}}\n</tool_call>")).isFalse();
        assertThat(m.matches("Hello")).isFalse();
        // one call only without parallel calls
        String two = "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>\n<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>";
        assertThat(m.matches(two)).isFalse();
        assertThat(matcher(ToolCallSyntax.TAGGED, ToolCallGrammar.Mode.REQUIRED, true).matches(two)).isTrue();
    }

    @Test
    void autoAllowsTextThatDoesNotStartLikeACall() {
        ByteMatcher m = matcher(ToolCallSyntax.TAGGED, ToolCallGrammar.Mode.AUTO, true);
        assertThat(m.matches("It is sunny <b>today</b>.")).isTrue();
        assertThat(m.matches("")).isTrue();
        assertThat(m.matches("<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>")).isTrue();
        assertThat(m.matches("<tool_call>\nsomething else")).isFalse();
    }

    @Test
    void textAnswerCanBeConstrainedToo() {
        JsonSchemaOutput answer = JsonSchemaOutput.compile("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},\"required\":[\"a\"]}");
        ByteMatcher m = new ByteMatcher(GrammarCompiler.compile(ToolCallGrammar.build(ToolCallSyntax.TAGGED,
                List.of(TIME), ToolCallGrammar.Mode.AUTO, false, answer.grammar()).grammar()));
        assertThat(m.matches("{\"a\": 3}")).isTrue();
        assertThat(m.matches("free text")).isFalse();
    }

    @Test
    void llama3SyntaxIsABareObject() {
        ByteMatcher m = matcher(ToolCallSyntax.LLAMA3_JSON, ToolCallGrammar.Mode.AUTO, true);
        assertThat(m.matches("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Rome\", \"unit\": \"c\"}}")).isTrue();
        assertThat(m.matches("Sure, here you go")).isTrue();
        assertThat(ToolCallSyntax.forTemplate("{{- '<|python_tag|>' }} ipython")).isEqualTo(ToolCallSyntax.LLAMA3_JSON);
        assertThat(ToolCallSyntax.forTemplate("<tool_call>")).isEqualTo(ToolCallSyntax.TAGGED);
    }

    @Test
    void parserStreamsCallsCharacterByCharacter() {
        String out = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call>\n"
                + "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>";
        ToolCallParser p = new ToolCallParser(ToolCallSyntax.TAGGED);
        List<ToolCallParser.Event> events = new ArrayList<>();
        for (char c : out.toCharArray()) {
            events.addAll(p.feed(String.valueOf(c)));
        }
        events.addAll(p.finish());
        assertThat(p.isToolCall()).isTrue();
        assertThat(p.calls()).containsExactly(new ToolCallParser.Call("get_weather", "{\"city\": \"Oslo\"}"),
                new ToolCallParser.Call("get_time", "{}"));
        StringBuilder args0 = new StringBuilder();
        for (ToolCallParser.Event e : events) {
            assertThat(e).isNotInstanceOf(ToolCallParser.Event.Content.class);
            if (e instanceof ToolCallParser.Event.Arguments a && a.index() == 0) {
                args0.append(a.text());
            }
        }
        assertThat(args0.toString()).isEqualTo("{\"city\": \"Oslo\"}");
        assertThat(events).contains(new ToolCallParser.Event.CallStarted(1, "get_time"));
    }

    @Test
    void parserReleasesTextAsContent() {
        ToolCallParser p = new ToolCallParser(ToolCallSyntax.TAGGED);
        List<ToolCallParser.Event> events = new ArrayList<>(p.feed("<"));
        assertThat(events).isEmpty(); // could still become a call
        events.addAll(p.feed("b>hi"));
        events.addAll(p.finish());
        assertThat(p.isToolCall()).isFalse();
        assertThat(p.content()).isEqualTo("<b>hi");
    }

    @Test
    void llama3CallEndsWithTheStream() {
        ToolCallParser p = new ToolCallParser(ToolCallSyntax.LLAMA3_JSON);
        p.feed("{\"name\": \"get_time\", \"parameters\": {\"tz\": \"UTC\"}");
        p.feed("}");
        p.finish();
        assertThat(p.calls()).containsExactly(new ToolCallParser.Call("get_time", "{\"tz\": \"UTC\"}"));
    }
}
