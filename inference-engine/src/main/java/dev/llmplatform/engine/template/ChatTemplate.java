package dev.llmplatform.engine.template;

import dev.llmplatform.engine.template.jinja.JinjaCallable;
import dev.llmplatform.engine.template.jinja.PyValues;
import dev.llmplatform.engine.template.jinja.RaisedException;
import dev.llmplatform.engine.template.jinja.Template;
import dev.llmplatform.engine.template.jinja.TemplateException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's chat template, rendered exactly as Hugging Face transformers' {@code apply_chat_template}
 * does: Jinja2 with {@code trim_blocks} and {@code lstrip_blocks}, loop controls, a {@code tojson} that
 * keeps non-ASCII text, and the globals {@code raise_exception(msg)} and {@code strftime_now(fmt)}.
 *
 * <p>Immutable and thread-safe; compile once per model and render per request.
 */
public final class ChatTemplate {
    private final String name;
    private final String source;
    private final Template template;
    private final Clock clock;

    private ChatTemplate(String name, String source, Template template, Clock clock) {
        this.name = name;
        this.source = source;
        this.template = template;
        this.clock = clock;
    }

    /**
     * Compiles a Jinja chat template.
     *
     * @throws ChatTemplateException with line and column when it does not parse
     */
    public static ChatTemplate compile(String source) {
        Objects.requireNonNull(source, "source");
        try {
            return new ChatTemplate("custom", source, Template.compile(source, true, true), Clock.systemDefaultZone());
        } catch (TemplateException e) {
            throw wrap(e);
        }
    }

    /** The same template with {@code strftime_now} reading {@code clock} (tests fix the date with it). */
    public ChatTemplate withClock(Clock clock) {
        return new ChatTemplate(name, source, template, Objects.requireNonNull(clock, "clock"));
    }

    /** The same template under another name (e.g. "gguf" for a model's own, or a fallback's name). */
    public ChatTemplate withName(String name) {
        return new ChatTemplate(Objects.requireNonNull(name, "name"), source, template, clock);
    }

    /** Where the template came from: "gguf", a built-in fallback's name, or "custom". */
    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    /**
     * Renders a conversation into the prompt text.
     *
     * @param messages            {@code [{"role": ..., "content": ...}, ...]}, as in the OpenAI API
     * @param tools               tool definitions, or null for none (then {@code tools} is undefined in
     *                            the template, as transformers leaves it)
     * @param addGenerationPrompt whether to open an assistant turn at the end
     * @param bosToken            the model's beginning-of-sequence text, e.g. {@code <|begin_of_text|>}
     * @param eosToken            the model's end-of-sequence text
     * @param extraVariables      more template variables (e.g. {@code enable_thinking}); may be null
     * @throws ChatTemplateException when rendering fails; a template's own {@code raise_exception}
     *                               message is the exception's message, verbatim
     */
    public String render(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                         boolean addGenerationPrompt, String bosToken, String eosToken,
                         Map<String, Object> extraVariables) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("bos_token", bosToken == null ? "" : bosToken);
        vars.put("eos_token", eosToken == null ? "" : eosToken);
        vars.put("raise_exception", (JinjaCallable) args -> {
            throw new RaisedException(PyValues.str(args.get(0, "message", "")));
        });
        vars.put("strftime_now", (JinjaCallable) args ->
                Strftime.format(ZonedDateTime.now(clock), PyValues.str(args.get(0, "format", ""))));
        if (extraVariables != null) {
            vars.putAll(extraVariables);
        }
        vars.put("messages", Objects.requireNonNull(messages, "messages"));
        if (tools != null) {
            vars.put("tools", tools);
        }
        vars.put("add_generation_prompt", addGenerationPrompt);
        try {
            return template.render(vars);
        } catch (TemplateException e) {
            throw wrap(e);
        }
    }

    private static ChatTemplateException wrap(TemplateException e) {
        return new ChatTemplateException(e.getMessage(), e.line(), e.column(), e instanceof RaisedException, e);
    }
}
