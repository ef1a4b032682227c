package dev.llmplatform.api.cli;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.template.ChatTemplate;
import dev.llmplatform.engine.tokenizer.SpecialTokens;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.util.List;
import java.util.Map;

/** Renders a single user message through the model's chat template into prompt tokens. */
final class ChatPrompts {
    private ChatPrompts() {
    }

    static int[] render(Engine engine, String userMessage) {
        String source = engine.file().metadata().string("tokenizer.chat_template")
                .orElseThrow(() -> new IllegalArgumentException("--chat: the model has no chat template (tokenizer.chat_template)"));
        Tokenizer tokenizer = engine.tokenizer();
        SpecialTokens special = tokenizer.specialTokens();
        String bos = special.bos() >= 0 ? tokenizer.tokenText(special.bos()) : "";
        String eos = special.eos() >= 0 ? tokenizer.tokenText(special.eos()) : "";
        String text = ChatTemplate.compile(source).render(
                List.of(Map.of("role", "user", "content", userMessage)), null, true, bos, eos, null);
        // The template writes special tokens as text; BOS is added only if the template did not.
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
