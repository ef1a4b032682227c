package dev.llmplatform.rag.prompt;

/** One chat message as the prompt builder sees it: a role ({@code system}, {@code user}, ...) and its text. */
public record ChatMessage(String role, String content) {
    public ChatMessage {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("message role is empty");
        }
        content = content == null ? "" : content;
    }
}
