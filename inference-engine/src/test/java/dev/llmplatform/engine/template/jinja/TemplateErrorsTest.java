package dev.llmplatform.engine.template.jinja;

import static dev.llmplatform.engine.template.jinja.JinjaFixture.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TemplateErrorsTest {
    private static TemplateSyntaxException syntaxError(String source) {
        try {
            Template.compile(source, true, true);
        } catch (TemplateSyntaxException e) {
            return e;
        }
        throw new AssertionError("expected a syntax error for " + source);
    }

    @Test
    void syntaxErrorsNameLineAndColumn() {
        TemplateSyntaxException e = syntaxError("line one\n{% if x %}\n  {{ 1 + }}\n{% endif %}");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(10);
        assertThat(e.getMessage()).isEqualTo("expected an expression, got end of print statement (line 3, column 10)");

        TemplateSyntaxException unclosed = syntaxError("{% for x in l %}\n{{ x }}");
        assertThat(unclosed.reason()).isEqualTo("unexpected end of template; expected 'else' or 'endfor'");
        assertThat(unclosed.line()).isEqualTo(2);

        TemplateSyntaxException unknown = syntaxError("ok\n  {% endif %}");
        assertThat(unknown.reason()).isEqualTo("encountered unknown tag 'endif'");
        assertThat(unknown.line()).isEqualTo(2);
        assertThat(unknown.column()).isEqualTo(6);

        assertThat(syntaxError("{{ x | nosuchfilter }}").reason()).isEqualTo("no filter named 'nosuchfilter'");
        assertThat(syntaxError("{{ x is nosuchtest }}").reason()).isEqualTo("no test named 'nosuchtest'");
        assertThat(syntaxError("{{ 'abc }}").reason()).isEqualTo("unterminated string");
        assertThat(syntaxError("{% break %}").reason()).isEqualTo("'break' outside of a loop");
    }

    @Test
    void runtimeErrorsUseJinjasMessagesAndKnowTheirLine() {
        assertThatThrownBy(() -> render("{{ undefined_var.attr }}")).hasMessage("'undefined_var' is undefined");
        assertThatThrownBy(() -> render("{{ undefined_var + 1 }}")).hasMessage("'undefined_var' is undefined");
        assertThatThrownBy(() -> render("{{ 'a' + 1 }}")).hasMessage("can only concatenate str (not \"int\") to str");
        assertThatThrownBy(() -> render("{% for x in n %}{% endfor %}")).hasMessage("'NoneType' object is not iterable");
        assertThatThrownBy(() -> render("{{ 1 / 0 }}")).hasMessage("division by zero");
        assertThatThrownBy(() -> render("{% set x.y = 1 %}")).hasMessage("cannot assign attribute on non-namespace object");
        assertThatThrownBy(() -> render("{{ d.nope.deeper }}")).hasMessage("'dict object' has no attribute 'nope'");
        assertThatThrownBy(() -> render("a\nb\n{{ l.append(4) }}"))
                .isInstanceOf(TemplateRuntimeException.class)
                .hasMessage("access to attribute 'append' of 'list' object is unsafe.")
                .satisfies(e -> assertThat(((TemplateException) e).line()).isEqualTo(3));
    }

    @Test
    void endlessMacroRecursionFailsInsteadOfOverflowing() {
        assertThatThrownBy(() -> render("{% macro f(x) %}{{ f(x) }}{% endmacro %}{{ f(1) }}"))
                .hasMessage("maximum recursion depth exceeded while calling a Python object");
    }
}
