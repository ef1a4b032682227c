package dev.llmplatform.api.web;

import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** A client-facing failure with its HTTP status, OpenAI error fields and any headers it needs. */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String type;
    private final String param;
    private final String code;
    private final Map<String, String> headers;

    public ApiException(HttpStatus status, String message, String type, String param, String code) {
        this(status, message, type, param, code, Map.of());
    }

    public ApiException(HttpStatus status, String message, String type, String param, String code, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException invalidRequest(String message, String param) {
        return new ApiException(HttpStatus.BAD_REQUEST, message, "invalid_request_error", param, null);
    }

    public static ApiException modelNotFound(String model) {
        return new ApiException(HttpStatus.NOT_FOUND, "The model '" + model + "' does not exist",
                "invalid_request_error", "model", "model_not_found");
    }

    /** OpenAI's wording, with the numbers. */
    public static ApiException contextLengthExceeded(int context, int promptTokens, int completionTokens, String param) {
        return new ApiException(HttpStatus.BAD_REQUEST, "This model's maximum context length is " + context
                + " tokens. However, you requested " + (promptTokens + completionTokens) + " tokens (" + promptTokens
                + " in the messages, " + completionTokens + " in the completion). Please reduce the length of the messages or completion.",
                "invalid_request_error", param, "context_length_exceeded");
    }

    /** Every generation slot stayed busy: 429 with {@code Retry-After}. */
    public static ApiException overloaded(String detail, Duration waited) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "The server is overloaded: " + detail + ". Please retry shortly.",
                "rate_limit_error", null, "server_overloaded", Map.of("Retry-After", "1"));
    }

    public static ApiException timeout(Duration limit) {
        return new ApiException(HttpStatus.REQUEST_TIMEOUT, "The request ran longer than the server's limit of "
                + limit.toSeconds() + " s and was stopped", "timeout_error", null, "request_timeout");
    }

    public static ApiException generationFailed(Throwable cause) {
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "Generation failed: "
                + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()), "server_error", null, null);
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public OpenAiError toBody() {
        return OpenAiError.of(getMessage(), type, param, code);
    }
}
