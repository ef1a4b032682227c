package dev.llmplatform.engine.template.jinja;

import static dev.llmplatform.engine.template.jinja.JinjaFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpressionsTest {
    @Test
    void valuesRenderAsPythonStrDoes() {
        assertThat(render("{{ n }} {{ t }} {{ f }} {{ i }} {{ l }} {{ d }} {{ big }} {{ small }} {{ 1.0 }} {{ 0.1 + 0.2 }}"
                + " {{ 3 / 2 }} {{ 4 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 2.0 ** 0.5 }}"))
                .isEqualTo("None True 1.5 7 [3, 1, 2, 'x'] {'b': 2, 'a': 1, 'C': 3} 1e+20 1e-07 1.0 0.30000000000000004"
                        + " 1.5 2.0 3 -4 2 1024 1.4142135623730951");
        assertThat(render("{{ msgs[1] }}")).isEqualTo("{'role': 'assistant', 'content': 'Yo', 'tool_calls': [{'function':"
                + " {'name': 'f', 'arguments': {'a': 1, 'b': [1, 2.5, None, True], 'ü': 'ñ'}}}]}");
        assertThat(render("{{ ('a',) }} {{ (1, 'b') }} {{ \"it's\" }} {{ [\"it's\", 'say \"hi\"', 'both \\'\"'] }} {{ {'k': none, 1: true} }}"))
                .isEqualTo("('a',) (1, 'b') it's [\"it's\", 'say \"hi\"', 'both \\'\"'] {'k': None, 1: True}");
        assertThat(render("{{ 123456789012345678.0 }} {{ 1e16 }} {{ 1e15 }} {{ 0.0001 }} {{ 0.00001 }} {{ -0.0 }} {{ 1.5e300 * 1e10 }}"))
                .isEqualTo("1.2345678901234568e+17 1e+16 1000000000000000.0 0.0001 1e-05 -0.0 inf");
    }

    @Test
    void undefinedRendersEmptyAndFailsOnlyWhenUsed() {
        assertThat(render("{{ undefined_var }}|{{ undefined_var is defined }}|{{ d.nope is defined }}|{{ d.nope }}"))
                .isEqualTo("|False|False|");
        assertThat(render("{{ 1 if t else 2 }}{{ 1 if n else 2 }}{{ 'x' if n }}|")).isEqualTo("12|");
    }

    @Test
    void operators() {
        assertThat(render("{{ 'a' ~ 1 ~ none ~ t }}")).isEqualTo("a1NoneTrue");
        assertThat(render("{{ t and 'yes' or 'no' }} {{ n or 'default' }} {{ 0 and 1 }} {{ not t }}"))
                .isEqualTo("yes default 0 False");
        assertThat(render("{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'a' in 'cat' }} {{ 1 in l }} {{ 'a' in d }} {{ 5 not in l }}"
                + " {{ 1 == 1.0 }} {{ t == 1 }}")).isEqualTo("True False True True True True True True");
        assertThat(render("{{ [1, 2] + [3] }} {{ 'ab' * 3 }} {{ 'a' + 'b' }}")).isEqualTo("[1, 2, 3] ababab ab");
    }

    @Test
    void indexingAndSlicing() {
        assertThat(render("{{ s[0] }}{{ s[-1] }}{{ s[1:3] }}{{ s[::-1] }}{{ l[1:] }}{{ l[:-1] }}{{ l[::2] }}{{ s[100:] }}{{ l[-100:2] }}"))
                .isEqualTo("Hrelrab-oof dlroW olleH[1, 2, 'x'][3, 1, 2][3, 2][3, 1]");
        assertThat(render("{% set d2 = {'a': {'b': [1, {'c': 'deep'}]}} %}{{ d2.a.b[1].c }} {{ d2['a']['b'][0] }} {{ d2.a.b.1.c }}"))
                .isEqualTo("deep 1 deep");
    }

    @Test
    void tests() {
        assertThat(render("{{ n is none }} {{ i is number }} {{ t is number }} {{ t is boolean }} {{ i is integer }}"
                + " {{ f is float }} {{ s is string }} {{ d is mapping }} {{ l is iterable }} {{ s is iterable }}"
                + " {{ i is iterable }} {{ l is sequence }} {{ d is sequence }} {{ undefined_var is iterable }}"))
                .isEqualTo("True True True True True True True True True True False True True True");
        assertThat(render("{{ i is odd }} {{ i is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }} {{ t is true }}"
                + " {{ 1 is true }} {{ false is false }} {{ 'a' is in 'abc' }} {{ 1 is in l }} {{ 'x' is equalto 'x' }}"
                + " {{ 'x' is eq 'y' }} {{ 3 is gt 2 }} {{ 'abc' is lower }} {{ 'ABC' is upper }}"))
                .isEqualTo("True False True False True False True True True True False True True True");
        assertThat(render("{{ n is not none }} {{ i is not string }} {{ n is sameas none }} {{ t is sameas true }}"))
                .isEqualTo("False True True True");
    }

    @Test
    void stringListAndDictMethods() {
        assertThat(render("{{ '  a b  '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ '  a'.lstrip() }}|{{ 'a  '.rstrip() }}|"
                + "{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a b c'.split(' ', 1) }}|{{ 'a,b,c'.rsplit(',', 1) }}"))
                .isEqualTo("a b|a|a|a|['a', 'b', '', 'c']|['a', 'b']|['a', 'b c']|['a,b', 'c']");
        assertThat(render("{{ s.startswith('Hell') }} {{ s.endswith(('x', 'bar')) }} {{ s.upper() }} {{ s.lower() }}"
                + " {{ 'hello wORLD 3rd'.title() }} {{ 'hELLO'.capitalize() }} {{ s.replace('o', '0') }} {{ s.find('o') }}"
                + " {{ s.count('o') }} {{ '-'.join(['a','b']) }}"))
                .isEqualTo("True True HELLO WORLD FOO-BAR hello world foo-bar Hello World 3Rd Hello Hell0 W0rld f00-bar 4 4 a-b");
        assertThat(render("{{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 9) }} {{ d.keys()|list }} {{ d.values()|list }}"
                + " {{ d.items()|list }} {{ l.index(2) }} {{ l.count(1) }}"))
                .isEqualTo("1 None 9 ['b', 'a', 'C'] [2, 1, 3] [('b', 2), ('a', 1), ('C', 3)] 2 1");
        assertThat(render("{{ '{} and {}'.format(1, 'b') }} {{ '{x}!'.format(x=2) }} {{ 'a\\nb\\r\\nc'.splitlines() }}"))
                .isEqualTo("1 and b 2! ['a', 'b', 'c']");
    }

    @Test
    void moreStringMethods() {
        assertThat(render("{{ 'ab'.ljust(5, '.') }}|{{ 'ab'.rjust(5) }}|{{ '-42'.zfill(6) }}|{{ 'prefix-x'.removeprefix('prefix-') }}"
                + "|{{ 'x.txt'.removesuffix('.txt') }}|{{ 'a=b=c'.partition('=') }}|{{ 'a=b=c'.rpartition('=') }}"
                + "|{{ 'héllo'.index('l') }}|{{ 'héllo'.find('o') }}"))
                .isEqualTo("ab...|   ab|-00042|x|x|('a', '=', 'b=c')|('a=b', '=', 'c')|2|4");
    }
}
