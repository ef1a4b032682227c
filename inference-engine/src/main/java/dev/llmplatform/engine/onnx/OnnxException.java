package dev.llmplatform.engine.onnx;

/** A malformed or unsupported ONNX file; the message names what is wrong. */
public class OnnxException extends RuntimeException {
    public OnnxException(String message) {
        super(message);
    }

    public OnnxException(String message, Throwable cause) {
        super(message, cause);
    }
}
