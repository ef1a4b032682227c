package dev.llmplatform.engine.runtime;

/** Why a generation ended. */
public enum FinishReason {
    /** An end-of-generation token, a stop token or a stop string. */
    STOP,
    /** The token limit or the sequence's context was reached. */
    LENGTH,
    /** The generating thread was interrupted (e.g. the client went away). */
    CANCELLED
}
