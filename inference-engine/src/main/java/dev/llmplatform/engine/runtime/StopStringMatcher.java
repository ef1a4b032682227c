package dev.llmplatform.engine.runtime;

import java.util.List;

/**
 * Finds stop strings in streamed text. Text that could still turn out to be the beginning of a stop
 * string is held back until the next chunk decides it, so a stop string never reaches the client.
 */
public final class StopStringMatcher {
    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    public StopStringMatcher(List<String> stops) {
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** Adds generated text; returns the text that is now safe to release. */
    public String push(String chunk) {
        if (stopped) {
            return "";
        }
        pending.append(chunk);
        int first = -1;
        for (String s : stops) {
            int i = pending.indexOf(s);
            if (i >= 0 && (first < 0 || i < first)) {
                first = i;
            }
        }
        if (first >= 0) {
            stopped = true;
            String out = pending.substring(0, first);
            pending.setLength(0);
            return out;
        }
        int hold = 0;
        for (String s : stops) {
            hold = Math.max(hold, overlap(pending, s));
        }
        String out = pending.substring(0, pending.length() - hold);
        pending.delete(0, pending.length() - hold);
        return out;
    }

    /** True once a stop string was found. */
    public boolean stopped() {
        return stopped;
    }

    /** Releases whatever is held back (at the end of generation). */
    public String flush() {
        String out = pending.toString();
        pending.setLength(0);
        return out;
    }

    /** Length of the longest suffix of {@code text} that is a proper prefix of {@code stop}. */
    private static int overlap(CharSequence text, String stop) {
        int max = Math.min(text.length(), stop.length() - 1);
        for (int len = max; len > 0; len--) {
            boolean match = true;
            for (int i = 0; i < len && match; i++) {
                match = text.charAt(text.length() - len + i) == stop.charAt(i);
            }
            if (match) {
                return len;
            }
        }
        return 0;
    }
}
