package dev.llmplatform.api.bench;

import java.io.IOException;

/** The benchmark could not reach its server at all, so it sent no load. The message is one line for a user. */
public final class ServerUnreachableException extends IOException {
    public ServerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
