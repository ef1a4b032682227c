package dev.llmplatform.api.rag;

import dev.llmplatform.api.web.OpenAiError;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * Uploads rejected while the request is parsed, before any controller runs: too large (413) or not a
 * well-formed multipart body (400). Ordered before the catch-all handler, which would answer 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class UploadLimitHandler {
    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<OpenAiError> tooLarge(MaxUploadSizeExceededException e) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(OpenAiError.of(
                "The upload is larger than this server accepts (spring.servlet.multipart.max-file-size /"
                        + " max-request-size); nothing was ingested", "invalid_request_error", "file", "upload_too_large"));
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<OpenAiError> malformed(MultipartException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(OpenAiError.of(
                "The multipart body could not be read: " + e.getMessage(), "invalid_request_error", "file", "invalid_upload"));
    }
}
