package dev.llmplatform.api.cli;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufMetadata;
import dev.llmplatform.engine.template.ChatTemplate;
import dev.llmplatform.engine.template.ChatTemplateException;
import dev.llmplatform.engine.template.ChatTemplates;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code llmp chat-template}: the prompt text a conversation becomes under a model's chat template,
 * rendered as transformers' {@code apply_chat_template} does. The last line is always one JSON object:
 * {@code {"text": ...}} or {@code {"error": ...}}.
 */
@Command(name = "chat-template", mixinStandardHelpOptions = true,
        description = "Render a conversation with a chat template (a model's own, a built-in one, or a .jinja file). "
                + "Prints the text, then {\"text\": ...} or {\"error\": ...} as the last line.")
public final class ChatTemplateCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = "--model", paramLabel = "PATH",
                description = "A GGUF file: its tokenizer.chat_template (or a fallback guessed from it) and its BOS/EOS tokens.")
        Path model;

        @Option(names = "--template", paramLabel = "FILE", description = "A Jinja chat template file.")
        Path template;

        @Option(names = "--builtin", paramLabel = "NAME", description = "A built-in template: chatml, llama3, gemma, phi3, mistral.")
        String builtin;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--messages", required = true, paramLabel = "FILE",
            description = "JSON: an array of {\"role\", \"content\"} messages, or a request body with \"messages\" (and \"tools\").")
    Path messagesFile;

    @Option(names = "--tools", paramLabel = "FILE", description = "JSON array of tool definitions.")
    Path toolsFile;

    @Option(names = "--add-generation-prompt", description = "End with the opening of an assistant turn.")
    boolean addGenerationPrompt;

    @Option(names = "--bos-token", paramLabel = "TEXT", description = "BOS text (default: the model's, else empty).")
    String bosToken;

    @Option(names = "--eos-token", paramLabel = "TEXT", description = "EOS text (default: the model's, else empty).")
    String eosToken;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try {
            String text = render();
            out.println(text);
            out.println(JSON.writeValueAsString(Map.of("text", text)));
            return 0;
        } catch (ChatTemplateException | IllegalArgumentException e) {
            out.println(JSON.writeValueAsString(Map.of("error", e.getMessage())));
            return 1;
        } finally {
            out.flush();
        }
    }

    private String render() {
        Map<String, Object> request = readMessages();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> messages = (List<Map<String, Object>>) request.get("messages");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tools = toolsFile != null
                ? readJson(toolsFile, "--tools", List.class) : (List<Map<String, Object>>) request.get("tools");
        ChatTemplate template;
        String bos = bosToken;
        String eos = eosToken;
        Map<String, Object> specialTokens = new LinkedHashMap<>();
        if (source.model != null) {
            GgufMetadata metadata;
            try (GgufFile file = GgufFile.open(CliFiles.requireFile(source.model, "--model"))) {
                metadata = file.metadata();
            }
            template = ChatTemplates.forModel(metadata, tools != null);
            bos = bos != null ? bos : ChatTemplates.bosToken(metadata).orElse("");
            eos = eos != null ? eos : ChatTemplates.eosToken(metadata).orElse("");
            specialTokens.putAll(ChatTemplates.specialTokens(metadata));
            specialTokens.remove("bos_token");
            specialTokens.remove("eos_token");
        } else if (source.template != null) {
            template = ChatTemplate.compile(readText(source.template, "--template"));
        } else {
            template = ChatTemplates.fallback(source.builtin);
        }
        return template.render(messages, tools, addGenerationPrompt, bos != null ? bos : "", eos != null ? eos : "",
                specialTokens);
    }

    /** The messages file as {@code {"messages": [...], "tools": [...]?}}, whichever form it was written in. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> readMessages() {
        Object parsed = readJson(messagesFile, "--messages", Object.class);
        Map<String, Object> request = new LinkedHashMap<>();
        if (parsed instanceof List<?> list) {
            request.put("messages", list);
        } else if (parsed instanceof Map<?, ?> map && map.get("messages") instanceof List<?>) {
            request.putAll((Map<String, Object>) map);
        } else {
            throw new IllegalArgumentException("--messages " + messagesFile
                    + ": expected a JSON array of messages or an object with \"messages\"");
        }
        for (Object m : (List<?>) request.get("messages")) {
            if (!(m instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("--messages " + messagesFile + ": every message must be a JSON object");
            }
        }
        return request;
    }

    private static <T> T readJson(Path file, String option, Class<T> type) {
        String text = readText(file, option);
        try {
            return JSON.readValue(text, type);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(option + " " + file + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static String readText(Path file, String option) {
        try {
            return Files.readString(CliFiles.requireFile(file, option), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": " + e.getMessage());
        }
    }
}
