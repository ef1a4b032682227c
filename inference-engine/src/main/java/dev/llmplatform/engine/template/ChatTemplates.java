package dev.llmplatform.engine.template;

import dev.llmplatform.engine.gguf.GgufMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a model's chat template comes from: the GGUF's own {@code tokenizer.chat_template} when it has
 * one, otherwise a built-in fallback guessed from the architecture and the special tokens in the
 * vocabulary. Also resolves the BOS/EOS token texts templates need.
 */
public final class ChatTemplates {
    /** Names of the built-in fallback templates. */
    public static final List<String> FALLBACK_NAMES = List.of("chatml", "llama3", "gemma", "phi3", "mistral");

    static final String TEMPLATE_KEY = "tokenizer.chat_template";
    private static final Map<String, ChatTemplate> FALLBACKS = new ConcurrentHashMap<>();

    private ChatTemplates() {
    }

    /** The Jinja source of a built-in fallback. */
    public static String fallbackSource(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (!FALLBACK_NAMES.contains(key)) {
            throw new IllegalArgumentException("unknown chat template '" + name + "'; built-in ones are "
                    + String.join(", ", FALLBACK_NAMES));
        }
        String resource = "fallback/" + key + ".jinja";
        try (InputStream in = ChatTemplates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A built-in fallback by name: chatml, llama3, gemma, phi3 or mistral. */
    public static ChatTemplate fallback(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return FALLBACKS.computeIfAbsent(key, k -> ChatTemplate.compile(fallbackSource(k)).withName(k));
    }

    /** The model's template: its own (named "gguf"), or the fallback {@link #guessFallback} picks. */
    public static ChatTemplate forModel(GgufMetadata metadata) {
        return forModel(metadata, false);
    }

    /**
     * As {@link #forModel(GgufMetadata)}; with {@code withTools}, a {@code tokenizer.chat_template.tool_use}
     * variant is preferred when the file has one, as transformers does when tools are passed.
     */
    public static ChatTemplate forModel(GgufMetadata metadata, boolean withTools) {
        Optional<String> own = withTools ? metadata.string(TEMPLATE_KEY + ".tool_use") : Optional.empty();
        if (own.isEmpty()) {
            own = metadata.string(TEMPLATE_KEY);
        }
        if (own.isPresent() && !own.get().isBlank()) {
            return ChatTemplate.compile(own.get()).withName("gguf");
        }
        return fallback(guessFallback(metadata));
    }

    /**
     * The fallback that fits a model without a template: decided by the turn markers its vocabulary
     * has (they are what the model was trained on), then by architecture; ChatML when nothing fits.
     */
    public static String guessFallback(GgufMetadata metadata) {
        Set<String> tokens = new HashSet<>(Arrays.asList(metadata.strings("tokenizer.ggml.tokens").orElse(new String[0])));
        String arch = metadata.string("general.architecture").orElse("").toLowerCase(Locale.ROOT);
        if (tokens.contains("<|start_header_id|>") && tokens.contains("<|eot_id|>")) {
            return "llama3";
        }
        if (tokens.contains("<start_of_turn>") || arch.startsWith("gemma")) {
            return "gemma";
        }
        if (tokens.contains("<|im_start|>")) {
            return "chatml";
        }
        if ((tokens.contains("<|user|>") && tokens.contains("<|end|>")) || arch.startsWith("phi3")) {
            return "phi3";
        }
        if (tokens.contains("[INST]") || arch.equals("llama") || arch.equals("mistral")) {
            return "mistral";
        }
        return "chatml";
    }

    /** The text of the BOS token ({@code tokenizer.ggml.bos_token_id} looked up in the vocabulary). */
    public static Optional<String> bosToken(GgufMetadata metadata) {
        return tokenText(metadata, "tokenizer.ggml.bos_token_id");
    }

    /** The text of the EOS token. */
    public static Optional<String> eosToken(GgufMetadata metadata) {
        return tokenText(metadata, "tokenizer.ggml.eos_token_id");
    }

    /**
     * The special-token variables transformers gives every template ({@code bos_token}, {@code eos_token},
     * {@code unk_token}, {@code pad_token}), for those the model defines.
     */
    public static Map<String, Object> specialTokens(GgufMetadata metadata) {
        Map<String, Object> vars = new LinkedHashMap<>();
        bosToken(metadata).ifPresent(t -> vars.put("bos_token", t));
        eosToken(metadata).ifPresent(t -> vars.put("eos_token", t));
        tokenText(metadata, "tokenizer.ggml.unknown_token_id").ifPresent(t -> vars.put("unk_token", t));
        tokenText(metadata, "tokenizer.ggml.padding_token_id").ifPresent(t -> vars.put("pad_token", t));
        return vars;
    }

    private static Optional<String> tokenText(GgufMetadata metadata, String idKey) {
        Optional<Long> id = metadata.integer(idKey);
        Optional<String[]> vocab = metadata.strings("tokenizer.ggml.tokens");
        if (id.isEmpty() || vocab.isEmpty() || id.get() < 0 || id.get() >= vocab.get().length) {
            return Optional.empty();
        }
        return Optional.of(vocab.get()[Math.toIntExact(id.get())]);
    }
}
