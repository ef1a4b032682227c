package dev.llmplatform.api.web;

import org.springframework.http.HttpStatus;

/** A client-facing failure with its HTTP status and OpenAI error fields. */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String type;
    private final String param;
    private final String code;

    public ApiException(HttpStatus status, String message, String type, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    public static ApiException invalidRequest(String message, String param) {
        return new ApiException(HttpStatus.BAD_REQUEST, message, "invalid_request_error", param, null);
    }

    public static ApiException modelNotFound(String model) {
        return new ApiException(HttpStatus.NOT_FOUND, "The model '" + model + "' does not exist",
                "invalid_request_error", "model", "model_not_found");
    }

    public HttpStatus status() {
        return status;
    }

    public OpenAiError toBody() {
        return OpenAiError.of(getMessage(), type, param, code);
    }
}
