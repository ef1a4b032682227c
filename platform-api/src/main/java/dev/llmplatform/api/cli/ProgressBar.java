package dev.llmplatform.api.cli;

import dev.llmplatform.api.registry.PullProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows a pull's progress: one line redrawn in place ({@code \r}) on a terminal, or a plain line every
 * {@code lineInterval} when the output is a file or pipe (so logs do not fill with carriage returns).
 */
final class ProgressBar implements PullProgress.Listener {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final long lineIntervalNanos;
    private long lastLineNanos = Long.MIN_VALUE;
    private boolean drawn;

    ProgressBar(PrintStream out, boolean terminal, Duration lineInterval) {
        this.out = out;
        this.terminal = terminal;
        this.lineIntervalNanos = lineInterval.toNanos();
    }

    @Override
    public void onProgress(PullProgress p) {
        if (terminal) {
            out.print("\r" + render(p) + "  ");
            drawn = true;
            out.flush();
            return;
        }
        long now = System.nanoTime();
        if (p.complete() || lastLineNanos == Long.MIN_VALUE || now - lastLineNanos >= lineIntervalNanos) {
            out.println(render(p));
            lastLineNanos = now;
        }
    }

    /** Ends the redrawn line so that what follows starts on a line of its own. */
    void finish() {
        if (terminal && drawn) {
            out.println();
            drawn = false;
        }
    }

    static String render(PullProgress p) {
        StringBuilder sb = new StringBuilder(p.file()).append(' ');
        if (p.total() > 0) {
            int filled = (int) (WIDTH * p.bytes() / p.total());
            sb.append('[').append("=".repeat(filled)).append(filled < WIDTH ? ">" : "")
                    .append(" ".repeat(Math.max(0, WIDTH - filled - 1))).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%% ", 100 * p.bytes() / p.total()));
        }
        sb.append(InfoCommand.humanBytes(p.bytes()));
        if (p.total() >= 0) {
            sb.append(" / ").append(InfoCommand.humanBytes(p.total()));
        }
        if (p.bytesPerSecond() > 0) {
            sb.append("  ").append(InfoCommand.humanBytes((long) p.bytesPerSecond())).append("/s");
        }
        if (p.etaSeconds() >= 0 && !p.complete()) {
            long s = p.etaSeconds();
            sb.append(String.format(Locale.ROOT, "  ETA %d:%02d:%02d", s / 3600, s / 60 % 60, s % 60));
        }
        return sb.toString();
    }
}
