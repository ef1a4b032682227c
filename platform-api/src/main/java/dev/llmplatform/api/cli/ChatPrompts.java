package dev.llmplatform.api.cli;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.gguf.GgufMetadata;
import dev.llmplatform.engine.template.ChatTemplates;
import dev.llmplatform.engine.tokenizer.SpecialTokens;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.util.List;
import java.util.Map;

/**
 * Renders a single user message through the model's chat template (or the built-in one that fits a
 * model without a template, as {@code llmp info} reports) into prompt tokens.
 */
final class ChatPrompts {
    private ChatPrompts() {
    }

    static int[] render(Engine engine, String userMessage) {
        GgufMetadata metadata = engine.file().metadata();
        Map<String, Object> extras = ChatTemplates.specialTokens(metadata);
        String text = ChatTemplates.forModel(metadata).render(
                List.of(Map.of("role", "user", "content", userMessage)), null, true,
                ChatTemplates.bosToken(metadata).orElse(""), ChatTemplates.eosToken(metadata).orElse(""), extras);
        // The template writes special tokens as text; BOS is added only if the template did not write it.
        Tokenizer tokenizer = engine.tokenizer();
        SpecialTokens special = tokenizer.specialTokens();
        int[] ids = tokenizer.encode(text, true);
        if (special.addBos() && special.bos() >= 0 && (ids.length == 0 || ids[0] != special.bos())) {
            int[] withBos = new int[ids.length + 1];
            withBos[0] = special.bos();
            System.arraycopy(ids, 0, withBos, 1, ids.length);
            return withBos;
        }
        return ids;
    }
}
