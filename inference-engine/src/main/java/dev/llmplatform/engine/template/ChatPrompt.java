package dev.llmplatform.engine.template;

import dev.llmplatform.engine.gguf.GgufMetadata;
import dev.llmplatform.engine.tokenizer.SpecialTokens;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.util.List;
import java.util.Map;

/**
 * A model's conversation → prompt tokens: its chat template (the file's own, or the built-in fallback
 * {@code llmp info} names) rendered as Hugging Face does, then tokenized with special tokens recognised
 * and BOS added only where the template did not write it. The one path that {@code llmp generate --chat}
 * and the HTTP API share.
 */
public final class ChatPrompt {
    private final ChatTemplate template;
    private final ChatTemplate toolTemplate;
    private final Tokenizer tokenizer;
    private final String bos;
    private final String eos;
    private final Map<String, Object> extras;

    private ChatPrompt(ChatTemplate template, ChatTemplate toolTemplate, Tokenizer tokenizer, String bos, String eos,
                       Map<String, Object> extras) {
        this.template = template;
        this.toolTemplate = toolTemplate;
        this.tokenizer = tokenizer;
        this.bos = bos;
        this.eos = eos;
        this.extras = extras;
    }

    /** The prompt builder of a model file, with its tokenizer. */
    public static ChatPrompt forModel(GgufMetadata metadata, Tokenizer tokenizer) {
        return new ChatPrompt(ChatTemplates.forModel(metadata), ChatTemplates.forModel(metadata, true), tokenizer,
                ChatTemplates.bosToken(metadata).orElse(""), ChatTemplates.eosToken(metadata).orElse(""),
                ChatTemplates.specialTokens(metadata));
    }

    /** The template used for conversations without tools. */
    public ChatTemplate template() {
        return template;
    }

    /** The template used when tools are passed (the file's {@code tool_use} variant when it has one). */
    public ChatTemplate toolTemplate() {
        return toolTemplate;
    }

    /** Whether the tool template renders tool definitions itself (it reads the {@code tools} variable). */
    public boolean templateRendersTools() {
        return toolTemplate.source().contains("tools");
    }

    /**
     * The prompt text of a conversation.
     *
     * @param messages OpenAI-style messages as plain Java values ({@code role}, {@code content}, ...)
     * @param tools    tool definitions for the template, or null
     * @throws ChatTemplateException when the template refuses the conversation (e.g. an unsupported role)
     */
    public String renderText(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                             boolean addGenerationPrompt) {
        ChatTemplate t = tools != null ? toolTemplate : template;
        return t.render(messages, tools, addGenerationPrompt, bos, eos, extras);
    }

    /** {@link #renderText} tokenized: the prompt ids a generation request takes. */
    public int[] render(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                        boolean addGenerationPrompt) {
        return encode(renderText(messages, tools, addGenerationPrompt));
    }

    /**
     * Tokenizes rendered template text: special tokens the template wrote are recognised, and BOS is
     * added only when the vocabulary asks for it and the template did not write it.
     */
    public int[] encode(String renderedText) {
        SpecialTokens special = tokenizer.specialTokens();
        int[] ids = tokenizer.encode(renderedText, true);
        if (special.addBos() && special.bos() >= 0 && (ids.length == 0 || ids[0] != special.bos())) {
            int[] withBos = new int[ids.length + 1];
            withBos[0] = special.bos();
            System.arraycopy(ids, 0, withBos, 1, ids.length);
            return withBos;
        }
        return ids;
    }
}
