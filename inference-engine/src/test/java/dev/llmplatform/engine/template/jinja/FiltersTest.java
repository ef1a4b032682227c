package dev.llmplatform.engine.template.jinja;

import static dev.llmplatform.engine.template.jinja.JinjaFixture.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FiltersTest {
    @Test
    void stringFilters() {
        assertThat(render("{{ s|upper }} {{ s|lower }} {{ s|title }} {{ 'hELLO wORLD'|capitalize }} {{ s|length }}"
                + " {{ s|wordcount }} {{ 'ab'|center(7) }}|{{ 'abc'|center(8) }}|"))
                .isEqualTo("HELLO WORLD FOO-BAR hello world foo-bar Hello World Foo-Bar Hello world 19 4    ab  |  abc   |");
        assertThat(render("{{ '  x  '|trim }}|{{ 'xxhixx'|trim('x') }}|{{ s|replace('o', '0') }}|{{ s|replace('o','0',1) }}"))
                .isEqualTo("x|hi|Hell0 W0rld f00-bar|Hell0 World foo-bar");
        assertThat(render("{{ msgs[0].content|trim }}|")).isEqualTo("Hi there|");
    }

    @Test
    void indentFollowsJinjasLineRules() {
        assertThat(render("{{ 'a\\nb\\n\\nc'|indent }}|{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent(2, blank=true) }}"
                + "|{{ 'a\\nb'|indent('>>') }}")).isEqualTo("a\n    b\n\n    c|  a\n  b|a\n  \n  b|a\n>>b");
    }

    @Test
    void sequenceFilters() {
        assertThat(render("{{ l|join(', ') }} {{ l|first }} {{ l|last }} {{ l|reverse|list }} {{ 'abc'|reverse }}"
                + " {{ l|length }} {{ d|length }}")).isEqualTo("3, 1, 2, x 3 x ['x', 2, 1, 3] cba 4 3");
        assertThat(render("{{ d|items|list }} {{ d|dictsort }} {{ d|dictsort(by='value', reverse=true) }}"))
                .isEqualTo("[('b', 2), ('a', 1), ('C', 3)] [('a', 1), ('b', 2), ('C', 3)] [('C', 3), ('b', 2), ('a', 1)]");
        assertThat(render("{{ [3,1,2]|sort }} {{ ['b','A','c']|sort }} {{ ['b','A','c']|sort(case_sensitive=true) }}"
                + " {{ [3,1,2]|sort(reverse=true) }}")).isEqualTo("[1, 2, 3] ['A', 'b', 'c'] ['A', 'b', 'c'] [3, 2, 1]");
        assertThat(render("{{ ['a','A','b','a']|unique|list }} {{ [1,2,1]|unique|list }}")).isEqualTo("['a', 'b'] [1, 2]");
        assertThat(render("{{ [1,2,3]|sum }} {{ [1,2,3]|max }} {{ ['b','a']|min }} {{ [1,2,3]|batch(2)|list }}"))
                .isEqualTo("6 3 a [[1, 2], [3]]");
    }

    @Test
    void mapSelectAndReject() {
        assertThat(render("{{ msgs|map(attribute='role')|list }} {{ msgs|map(attribute='nope', default='z')|list }}"
                + " {{ ['a','b']|map('upper')|list }}")).isEqualTo("['user', 'assistant'] ['z', 'z'] ['A', 'B']");
        assertThat(render("{{ msgs|selectattr('role', 'equalto', 'user')|list|length }}"
                + " {{ msgs|rejectattr('role', 'equalto', 'user')|map(attribute='content')|list }}"
                + " {{ msgs|selectattr('tool_calls')|list|length }} {{ msgs|selectattr('tool_calls', 'defined')|list|length }}"))
                .isEqualTo("1 ['Yo'] 1 1");
        assertThat(render("{{ [1,2,3,4]|select('odd')|list }} {{ [1,2,3,4]|reject('even')|list }}"
                + " {{ [1,2,3,4]|select('divisibleby', 2)|list }} {{ [0,1,'',none,'a']|select|list }}"))
                .isEqualTo("[1, 3] [1, 3] [2, 4] [1, 'a']");
    }

    @Test
    void mapAndSelectReturnOneShotGeneratorsAsInJinja() {
        // A generator is truthy even when empty, and a second pass over it sees nothing.
        assertThat(render("{{ 'yes' if e|select else 'no' }}")).isEqualTo("yes");
        assertThat(render("{% set g = l|map('string') %}{{ g|list }}{{ g|list }}")).isEqualTo("['3', '1', '2', 'x'][]");
        assertThatThrownBy(() -> render("{{ msgs|map(attribute='role')|tojson }}"))
                .isInstanceOf(TemplateRuntimeException.class).hasMessage("Object of type generator is not JSON serializable");
        assertThatThrownBy(() -> render("{{ l|select|length }}"))
                .isInstanceOf(TemplateRuntimeException.class).hasMessage("object of type 'generator' has no len()");
    }

    @Test
    void defaultAndConversions() {
        assertThat(render("{{ undefined_var|default('dflt') }} {{ n|default('dflt') }} {{ ''|default('dflt', true) }}"
                + " {{ undefined_var|d('x') }}")).isEqualTo("dflt None dflt x");
        assertThat(render("{{ '42'|int }} {{ '4.7'|int }} {{ 'x'|int }} {{ 'x'|int(5) }} {{ 3.9|int }} {{ '3.5'|float }}"
                + " {{ 'x'|float }} {{ 2|float }}")).isEqualTo("42 4 0 5 3 3.5 0.0 2.0");
        assertThat(render("{{ 2.5|round }} {{ 3.5|round }} {{ 2.675|round(2) }} {{ 2.1|round(0, 'ceil') }}"
                + " {{ 2.9|round(method='floor') }} {{ 7|round }} {{ -3|abs }} {{ -3.5|abs }}"))
                .isEqualTo("2.0 4.0 2.67 3.0 2.0 7 3 3.5");
        assertThat(render("{{ i|string ~ 'x' }} {{ l|string }}")).isEqualTo("7x [3, 1, 2, 'x']");
    }

    @Test
    void tojsonIsPythonsJsonDumpsWithoutAsciiEscaping() {
        assertThat(render("{{ msgs[1].tool_calls[0].function.arguments|tojson }}"))
                .isEqualTo("{\"a\": 1, \"b\": [1, 2.5, null, true], \"ü\": \"ñ\"}");
        assertThat(render("{{ msgs[1].tool_calls[0].function.arguments|tojson(indent=2) }}"))
                .isEqualTo("{\n  \"a\": 1,\n  \"b\": [\n    1,\n    2.5,\n    null,\n    true\n  ],\n  \"ü\": \"ñ\"\n}");
        assertThat(render("{{ d|tojson(sort_keys=true) }} {{ d|tojson(separators=(',', ':')) }}"
                + " {{ {'x': 'é\"\\\\\\t\\u0001'}|tojson }} {{ [1.0, 1e20, 1e-7, none, true]|tojson }} {{ {}|tojson(indent=2) }}"
                + " {{ []|tojson(indent=2) }} {{ {'a': []}|tojson(indent=0) }}"))
                .isEqualTo("{\"C\": 3, \"a\": 1, \"b\": 2} {\"b\":2,\"a\":1,\"C\":3} {\"x\": \"é\\\"\\\\\\t\\u0001\"}"
                        + " [1.0, 1e+20, 1e-07, null, true] {} [] {\n\"a\": []\n}");
        assertThat(render("{{ msgs[1]|tojson(ensure_ascii=true) }}")).isEqualTo("{\"role\": \"assistant\", \"content\":"
                + " \"Yo\", \"tool_calls\": [{\"function\": {\"name\": \"f\", \"arguments\": {\"a\": 1, \"b\": [1, 2.5, null,"
                + " true], \"\\u00fc\": \"\\u00f1\"}}}]}");
    }

    @Test
    void markupEscapesThePlainStringItIsAddedTo() {
        assertThat(render("{{ '<a href=\"x\">&\\'</a>'|e }} {{ '<b>'|safe }} {{ ('<b>'|safe + '<i>') }}"
                + " {{ '<i>' + '<b>'|safe }} {{ ('a'|safe) ~ '<' }}"))
                .isEqualTo("&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt; <b> <b>&lt;i&gt; &lt;i&gt;<b> a<");
    }
}
