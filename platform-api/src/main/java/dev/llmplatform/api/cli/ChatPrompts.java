package dev.llmplatform.api.cli;

import dev.llmplatform.engine.Engine;

/** Renders a single user message through the model's chat template into prompt tokens. */
final class ChatPrompts {
    private ChatPrompts() {
    }

    static int[] render(Engine engine, String userMessage) {
        throw new UnsupportedOperationException("--chat needs chat-template support, which this build does not have yet");
    }
}
