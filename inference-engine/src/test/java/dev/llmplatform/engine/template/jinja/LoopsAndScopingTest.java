package dev.llmplatform.engine.template.jinja;

import static dev.llmplatform.engine.template.jinja.JinjaFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopsAndScopingTest {
    @Test
    void loopVariables() {
        assertThat(render("{% for x in l %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}"
                + "{{ loop.first }}{{ loop.last }}{{ loop.length }}|{% endfor %}"))
                .isEqualTo("1043TrueFalse4|2132FalseFalse4|3221FalseFalse4|4310FalseTrue4|");
        assertThat(render("{% for x in l %}{{ loop.previtem }}-{{ loop.nextitem }} {% endfor %}"))
                .isEqualTo("-1 3-2 1-x 2- ");
        assertThat(render("{% for x in l %}{{ loop.cycle('a','b') }}{% endfor %}")).isEqualTo("abab");
    }

    @Test
    void breakContinueElseAndFilter() {
        assertThat(render("{% for x in l %}{% if x == 1 %}{% continue %}{% endif %}{% if x == 'x' %}{% break %}"
                + "{% endif %}{{ x }}{% endfor %}")).isEqualTo("32");
        assertThat(render("{% for x in e %}a{% else %}empty{% endfor %}")).isEqualTo("empty");
        assertThat(render("{% for x in l if x is number %}{{ loop.index }}:{{ x }} {% endfor %}")).isEqualTo("1:3 2:1 3:2 ");
    }

    @Test
    void iteratingMappingsStringsAndUnpacking() {
        assertThat(render("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}")).isEqualTo("b=2;a=1;C=3;");
        assertThat(render("{% for k, v in d|items %}{{ k }}={{ v }};{% endfor %}")).isEqualTo("b=2;a=1;C=3;");
        assertThat(render("{% for k in d %}{{ k }}{% endfor %}")).isEqualTo("baC");
        assertThat(render("{% for c in \"héllo\" %}{{ c }}.{% endfor %}")).isEqualTo("h.é.l.l.o.");
        assertThat(render("{% for a, b in [[1,2],[3,4]] %}{{ a + b }}{% endfor %}")).isEqualTo("37");
        assertThat(render("{% for x in range(3) %}{{ x }}{% endfor %}{% for x in range(5, 0, -2) %}{{ x }}{% endfor %}"))
                .isEqualTo("012531");
    }

    @Test
    void setInsideALoopDoesNotLeakButNamespaceAttributesDo() {
        assertThat(render("{% set x = 1 %}{% for i in l %}{% set x = i %}{% endfor %}{{ x }}")).isEqualTo("1");
        assertThat(render("{% set ns = namespace(x=1, y='a') %}{% for i in l %}{% set ns.x = ns.x + 1 %}{% endfor %}"
                + "{{ ns.x }}{{ ns.y }}")).isEqualTo("5a");
        assertThat(render("{% set x = 1 %}{% if t %}{% set x = 2 %}{% endif %}{{ x }}")).isEqualTo("2");
    }

    @Test
    void macrosTakeDefaultsAndKeywordsAndHaveTheirOwnScope() {
        assertThat(render("{% macro m(a, b='B') %}[{{ a }}{{ b }}]{% endmacro %}{{ m(1) }}{{ m(1, 2) }}{{ m(b=3, a=4) }}{{ m() }}"))
                .isEqualTo("[1B][12][43][B]");
        assertThat(render("{% macro outer(x) %}{% macro inner() %}in{{ x }}{% endmacro %}{{ inner() }}{% endmacro %}{{ outer(5) }}"))
                .isEqualTo("in5");
        assertThat(render("{% macro f() %}{% set y = 5 %}{{ y }}{% endmacro %}{{ f() }}{{ y }}")).isEqualTo("5");
    }

    @Test
    void blockSetMultipleTargetsAndFilterBlocks() {
        assertThat(render("{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set c = [1, 2] %}{{ c }}")).isEqualTo("12[1, 2]");
        assertThat(render("{% set x %}  block {{ i }}  {% endset %}[{{ x }}]")).isEqualTo("[  block 7  ]");
        assertThat(render("{% filter upper %}hello {{ s }}{% endfilter %}")).isEqualTo("HELLO HELLO WORLD FOO-BAR");
    }

    @Test
    void callBlocksPassTheirBodyAsCaller() {
        assertThat(render("{%- macro test() -%}{{ caller() }},{{ caller() }}{%- endmacro -%}{%- call test() -%}x{%- endcall -%}"))
                .isEqualTo("x,x");
        assertThat(render("{%- macro outer() -%}Outer[{{ caller() }}]{%- endmacro -%}{%- macro inner() -%}Inner({{ caller() }})"
                + "{%- endmacro -%}{%- call outer() -%}{%- call inner() -%}X{%- endcall -%}{%- endcall -%}"))
                .isEqualTo("Outer[Inner(X)]");
        assertThat(render("{%- macro test(prefix, suffix) -%}{{ prefix }}{{ caller() }}{{ suffix }}{%- endmacro -%}"
                + "{%- set items = [\"a\", \"b\"] -%}{%- call test(\"<ul>\", \"</ul>\") -%}{%- for item in items -%}"
                + "<li>{{ item | upper }}</li>{%- endfor -%}{%- endcall -%}")).isEqualTo("<ul><li>A</li><li>B</li></ul>");
    }

    @Test
    void splatsJoinerAndCycler() {
        assertThat(render("{{ range(*[2,4]) | list }}")).isEqualTo("[2, 3]");
        assertThat(render("{%- set separator = joiner(' | ') -%}{%- for item in ['a', 'b', 'c'] %}{{ separator() }}{{ item }}"
                + "{% endfor -%}")).isEqualTo("a | b | c");
        assertThat(render("{% set c = cycler('odd', 'even') %}{{ c.next() }} {{ c.next() }} {{ c.current }} {{ c.next() }}"))
                .isEqualTo("odd even odd odd");
    }
}
