package dev.llmplatform.api.web;

/**
 * OpenAI's error body: {@code {"error":{"message","type","param","code"}}}. The one error shape of
 * every {@code /v1} endpoint.
 */
public record OpenAiError(Body error) {
    public record Body(String message, String type, String param, String code) {}

    public static OpenAiError of(String message, String type, String param, String code) {
        return new OpenAiError(new Body(message, type, param, code));
    }
}
