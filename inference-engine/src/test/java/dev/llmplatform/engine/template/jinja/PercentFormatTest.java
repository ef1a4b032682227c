package dev.llmplatform.engine.template.jinja;

import static dev.llmplatform.engine.template.jinja.JinjaFixture.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Python's {@code str % args} and the {@code format} filter; expectations are Jinja2 3.1.6's output. */
class PercentFormatTest {
    @Test
    void stringsIntegersAndMappings() {
        assertThat(render("{{ '%s and %s' % ('a', 1) }}|{{ '%d%%' % 50 }}|{{ '%5.2f|%-6s|%06d|%x|%r' % (3.14159, 'ab', -42, 255, 'q') }}"
                + "|{{ '%(a)s-%(b)d' % {'a': 'x', 'b': 3} }}")).isEqualTo("a and 1|50%| 3.14|ab    |-00042|ff|'q'|x-3");
        assertThat(render("{{ '%s' % [1, 2] }}|{{ '%s' % none }}|{{ '%s=%s'|format('k', 'v') }}|{{ '%(x)s'|format(x=1) }}"
                + "|{{ '%.3e' % 12345.678 }}|{{ '%g' % 0.0001 }}|{{ '%+d' % 5 }}")).isEqualTo("[1, 2]|None|k=v|1|1.235e+04|0.0001|+5");
        assertThat(render("{{ '%s|%5s|%-5s|%.2s|%c|%c|%o|%#o|%#x|%X' % ('x', 'ab', 'ab', 'abc', 65, 'z', 8, 8, 255, 255) }}"))
                .isEqualTo("x|   ab|ab   |ab|A|z|10|0o10|0xff|FF");
        assertThat(render("{{ '%i|%d|%d' % (3, 2.7, true) }}")).isEqualTo("3|2|1");
    }

    @Test
    void floatsFollowPythonsRules() {
        assertThat(render("{{ '%g|%g|%g|%g|%g|%g|%g|%.3g|%.10g|%G|%#g' % (0.0001, 0.00001, 123456, 1234567, 1.5, 100.0, 0,"
                + " 3.14159, 2.0/3, 1e-10, 1.5) }}"))
                .isEqualTo("0.0001|1e-05|123456|1.23457e+06|1.5|100|0|3.14|0.6666666667|1E-10|1.50000");
        assertThat(render("{{ '%e|%.2e|%E|%.0e|%e|%e' % (12345.678, 0.000123, 1.5, 5.5, 0, -2.5e100) }}"))
                .isEqualTo("1.234568e+04|1.23e-04|1.500000E+00|6e+00|0.000000e+00|-2.500000e+100");
        assertThat(render("{{ '%f|%.1f|%.0f|%.0f|%10.3f|%-10.1f|%+.2f' % (1.5, 0.05, 0.5, 1.5, -3.14159, 2.5, 1) }}"))
                .isEqualTo("1.500000|0.1|0|2|    -3.142|2.5       |+1.00");
    }

    @Test
    void markupEscapesItsArgumentsAndMistakesAreErrors() {
        assertThat(render("{{ ('<%s>'|safe) % '<b>' }}")).isEqualTo("<&lt;b&gt;>");
        assertThatThrownBy(() -> render("{{ '%s %s' % ('a',) }}")).hasMessage("not enough arguments for format string");
        assertThatThrownBy(() -> render("{{ '%s' % ('a', 'b') }}")).hasMessage("not all arguments converted during string formatting");
    }
}
