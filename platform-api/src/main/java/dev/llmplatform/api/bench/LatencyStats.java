package dev.llmplatform.api.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of durations. Percentiles interpolate linearly between the two nearest ranks
 * (the default of NumPy's {@code percentile}), so p50 of an even count is the mean of the middle two.
 */
public final class LatencyStats {
    private final long[] sortedNanos;

    private LatencyStats(long[] sortedNanos) {
        this.sortedNanos = sortedNanos;
    }

    /** Statistics over these samples (copied; the caller's array is left as it was). */
    public static LatencyStats ofNanos(long... nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return new LatencyStats(copy);
    }

    public int count() {
        return sortedNanos.length;
    }

    public boolean isEmpty() {
        return sortedNanos.length == 0;
    }

    /**
     * The {@code p}-th percentile in milliseconds, {@code p} in [0, 100].
     *
     * @throws IllegalStateException when there are no samples (callers report "no samples" instead)
     */
    public double percentileMillis(double p) {
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
        }
        if (isEmpty()) {
            throw new IllegalStateException("no samples");
        }
        double rank = p / 100 * (sortedNanos.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sortedNanos.length - 1);
        double fraction = rank - below;
        double nanos = sortedNanos[below] + fraction * (sortedNanos[above] - sortedNanos[below]);
        return nanos / 1e6;
    }

    public double meanMillis() {
        if (isEmpty()) {
            throw new IllegalStateException("no samples");
        }
        double sum = 0;
        for (long n : sortedNanos) {
            sum += n;
        }
        return sum / sortedNanos.length / 1e6;
    }
}
