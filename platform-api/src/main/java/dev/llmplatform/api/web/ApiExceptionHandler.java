package dev.llmplatform.api.web;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Maps every failure to OpenAI's error shape; the client never sees a stack trace. */
@RestControllerAdvice
public class ApiExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<OpenAiError> api(ApiException e) {
        ResponseEntity.BodyBuilder r = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        e.headers().forEach((k, v) -> r.header(k, v));
        return r.body(e.toBody());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<OpenAiError> notFound(HttpServletRequest request) {
        return error(HttpStatus.NOT_FOUND, "Unknown request URL: " + request.getMethod() + " " + request.getRequestURI(),
                "invalid_request_error", null, "unknown_url");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<OpenAiError> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return error(HttpStatus.METHOD_NOT_ALLOWED, "Method " + e.getMethod() + " is not allowed for " + request.getRequestURI(),
                "invalid_request_error", null, "method_not_allowed");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<OpenAiError> unreadable(HttpMessageNotReadableException e) {
        String detail = e.getMostSpecificCause().getMessage();
        if (detail != null && detail.length() > 300) {
            detail = detail.substring(0, 300) + "…";
        }
        return error(HttpStatus.BAD_REQUEST, "We could not parse the JSON body of your request: " + detail,
                "invalid_request_error", null, "invalid_json");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<OpenAiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content type " + e.getContentType()
                + " is not supported; send application/json", "invalid_request_error", null, "unsupported_media_type");
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<OpenAiError> invalid(MethodArgumentNotValidException e) {
        var field = e.getBindingResult().getFieldError();
        String param = field != null ? field.getField() : null;
        String message = field != null ? "'" + field.getField() + "' " + field.getDefaultMessage() : "Invalid request";
        return error(HttpStatus.BAD_REQUEST, message, "invalid_request_error", param, null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<OpenAiError> unexpected(Exception e, HttpServletRequest request) {
        log.error("Unhandled error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "The server had an error while processing your request",
                "server_error", null, null);
    }

    private static ResponseEntity<OpenAiError> error(HttpStatus status, String message, String type, String param, String code) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(OpenAiError.of(message, type, param, code));
    }
}
