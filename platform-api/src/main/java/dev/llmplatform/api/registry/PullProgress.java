package dev.llmplatform.api.registry;

/**
 * One progress report of a download.
 *
 * @param file            the file being downloaded
 * @param bytes           bytes on disk so far (including a resumed partial)
 * @param total           the file's size, or -1 while unknown
 * @param bytesPerSecond  transfer rate of the current attempt (0 until measurable)
 * @param etaSeconds      seconds left at that rate, or -1 when unknown
 */
public record PullProgress(String file, long bytes, long total, double bytesPerSecond, long etaSeconds) {
    /** Receives progress reports, from the downloading thread, in order; bytes never decrease. */
    @FunctionalInterface
    public interface Listener {
        void onProgress(PullProgress progress);

        Listener NONE = p -> { };
    }

    public boolean complete() {
        return total >= 0 && bytes == total;
    }
}
