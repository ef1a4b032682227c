package dev.llmplatform.engine.template.jinja;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shared variables and a render helper for the interpreter tests. The expected strings in those tests
 * are what Jinja2 3.1.6 renders for the same template and variables in transformers' configuration
 * (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, its tojson).
 */
final class JinjaFixture {
    private JinjaFixture() {
    }

    static Map<String, Object> vars() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("b", 2);
        d.put("a", 1);
        d.put("C", 3);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("a", 1);
        args.put("b", Arrays.asList(1, 2.5, null, true));
        args.put("ü", "ñ");
        Map<String, Object> assistant = new LinkedHashMap<>();
        assistant.put("role", "assistant");
        assistant.put("content", "Yo");
        assistant.put("tool_calls", List.of(Map.of("function", map("name", "f", "arguments", args))));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("msgs", List.of(map("role", "user", "content", "  Hi there \n"), assistant));
        v.put("d", d);
        v.put("l", List.of(3, 1, 2, "x"));
        v.put("s", "Hello World foo-bar");
        v.put("n", null);
        v.put("f", 1.5);
        v.put("i", 7);
        v.put("big", 1e20);
        v.put("small", 1e-7);
        v.put("t", true);
        v.put("e", List.of());
        return v;
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            m.put((String) kv[k], kv[k + 1]);
        }
        return m;
    }

    /** Renders with transformers' whitespace settings (trim_blocks and lstrip_blocks on). */
    static String render(String source) {
        return Template.compile(source, true, true).render(vars());
    }
}
