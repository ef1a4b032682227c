package dev.llmplatform.api.bench;

/**
 * What one streamed chat completion did.
 *
 * @param error            why it failed, or {@code null} when it completed
 * @param firstContentNanos time from sending the request to the first non-empty content delta; -1 if none came
 * @param gapsNanos        times between consecutive content-bearing chunks
 * @param contentChunks    chunks that carried non-empty content
 * @param usageTokens      {@code usage.completion_tokens} from the stream, or -1 if the server sent none
 */
public record RequestOutcome(String error, long firstContentNanos, long[] gapsNanos, int contentChunks, int usageTokens) {
    public static RequestOutcome failed(String error) {
        return new RequestOutcome(error, -1, new long[0], 0, -1);
    }

    public boolean ok() {
        return error == null;
    }

    /** Output tokens: the server's own count when it sent one, else one per content chunk. */
    public int outputTokens() {
        return usageTokens >= 0 ? usageTokens : contentChunks;
    }
}
