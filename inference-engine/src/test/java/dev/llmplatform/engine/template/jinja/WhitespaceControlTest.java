package dev.llmplatform.engine.template.jinja;

import static dev.llmplatform.engine.template.jinja.JinjaFixture.render;
import static dev.llmplatform.engine.template.jinja.JinjaFixture.vars;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WhitespaceControlTest {
    @Test
    void lstripAndTrimBlocksRemoveTheLinesOfBlockTags() {
        assertThat(render("a\n  {% if t %}\n  x\n  {% endif %}\nb")).isEqualTo("a\n  x\nb");
        assertThat(render("{% for x in l %}\n  {{ x }}\n{% endfor %}")).isEqualTo("  3\n  1\n  2\n  x\n");
    }

    @Test
    void lstripOnlyAppliesAtTheStartOfALineAndNeverBeforeVariables() {
        assertThat(render("a  {% if t %}x{% endif %}  b")).isEqualTo("a  x  b");
        assertThat(render("  {{ i }}\n  {{ i }}")).isEqualTo("  7\n  7");
    }

    @Test
    void minusStripsAllWhitespaceIncludingNewlines() {
        assertThat(render("a\n  {%- if t -%}\n  x\n  {%- endif -%}\n  b")).isEqualTo("axb");
        assertThat(render("a {#- c -#}   b")).isEqualTo("ab");
        assertThat(render("x  \n {{- i -}} \n y")).isEqualTo("x7y");
    }

    @Test
    void plusKeepsWhatLstripAndTrimWouldRemove() {
        assertThat(render("a\n  {%+ if t %}x{% endif +%}\nb")).isEqualTo("a\n  x\nb");
    }

    @Test
    void commentsDisappearWithTheirLine() {
        assertThat(render("  {# comment #}\nx")).isEqualTo("x");
    }

    @Test
    void oneTrailingNewlineOfTheSourceIsDropped() {
        assertThat(render("x\n")).isEqualTo("x");
        assertThat(render("x\n\n")).isEqualTo("x\n");
        assertThat(render("x\r\ny\r\n")).isEqualTo("x\ny");
    }

    @Test
    void withoutTrimAndLstripBlockLinesStay() {
        String src = "a\n  {% if t %}\n  x\n  {% endif %}\nb";
        assertThat(Template.compile(src, false, false).render(vars())).isEqualTo("a\n  \n  x\n  \nb");
    }

    @Test
    void rawBlocksAreTextWithTheUsualWhitespaceRules() {
        assertThat(render("{% raw %}{{ not parsed }}{% if %}{% endraw %}")).isEqualTo("{{ not parsed }}{% if %}");
        assertThat(render("a\n  {% raw %}\n  {{ x }}\n  {% endraw %}\nb")).isEqualTo("a\n\n  {{ x }}\nb");
        assertThat(render("a {%- raw -%}  x  {%- endraw -%} b")).isEqualTo("axb");
    }
}
