package dev.llmplatform.guardrails;

import dev.llmplatform.guardrails.policy.Rail;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The output rail on a token stream. Text is released only once {@link #LOOK_BEHIND} more characters
 * have arrived after it (or the stream finished) and the output detectors have seen it in context. Every
 * secret and card pattern recognises its start within that many characters, so when one appears the
 * rail stops the stream before its first character is released. Findings the policy redacts are
 * replaced by placeholders before release; the session's own placeholders are restored on release.
 *
 * <pre>{@code
 * OutputStreamRail rail = session.newOutputStream();
 * for (String delta : tokens) {
 *     StreamChunk c = rail.push(delta);
 *     send(c.text());
 *     if (c.stopped()) { endWithContentFilter(c.category()); return; }
 * }
 * StreamChunk last = rail.finish();  // the held-back tail, checked once more
 * }</pre>
 */
public final class OutputStreamRail {
    /** Characters held back; longer than any secret or card pattern needs to recognise its start. */
    public static final int LOOK_BEHIND = 64;

    /**
     * @param text     safe to send now (may be empty)
     * @param stopped  the stream must end now: a blocked category was found
     * @param category the blocked category when stopped, else {@code null}
     */
    public record StreamChunk(String text, boolean stopped, String category) {
    }

    private final GuardSession session;
    private final StringBuilder raw = new StringBuilder();
    private final Set<String> audited = new HashSet<>();
    private int released;
    private boolean done;

    OutputStreamRail(GuardSession session) {
        this.session = session;
    }

    /** Adds a delta of the model's text and returns what may be sent now. */
    public StreamChunk push(String delta) {
        if (done) {
            throw new IllegalStateException("the stream has ended");
        }
        raw.append(delta);
        return advance(false);
    }

    /** The end of the model's text: releases the rest if it is safe. */
    public StreamChunk finish() {
        if (done) {
            return new StreamChunk("", false, null);
        }
        StreamChunk last = advance(true);
        done = true;
        return last;
    }

    public boolean stopped() {
        return done;
    }

    private StreamChunk advance(boolean last) {
        long t0 = System.nanoTime();
        int windowStart = Math.max(0, released - LOOK_BEHIND);
        List<Finding> findings = new ArrayList<>();
        for (Finding f : session.scan(Rail.OUTPUT, raw.substring(windowStart))) {
            findings.add(f.shifted(windowStart));
        }
        long micros = (System.nanoTime() - t0) / 1000;
        int cut = -1;
        String cutCategory = null;
        List<Finding> redact = new ArrayList<>();
        for (Finding f : findings) {
            if (f.end() <= released) {
                continue; // judged when it was released
            }
            Action a = session.policy().action(f.category(), Rail.OUTPUT);
            if (audited.add(f.category() + "@" + f.start())) {
                session.record(Rail.OUTPUT, f, a, micros);
            }
            if (a == Action.BLOCK) {
                int at = Math.max(f.start(), released);
                if (cut < 0 || at < cut) {
                    cut = at;
                    cutCategory = f.category();
                }
            } else if (a == Action.REDACT && f.start() >= released) {
                redact.add(f);
            }
        }
        if (cut >= 0) {
            String text = release(cut, redact);
            done = true;
            return new StreamChunk(text, true, cutCategory);
        }
        int safe = last ? raw.length() : Math.max(released, raw.length() - LOOK_BEHIND);
        for (Finding f : redact) {
            if (f.start() < safe && f.end() > safe) {
                safe = f.start(); // never split a span that will be replaced
            }
        }
        safe = notInsidePlaceholder(safe);
        return new StreamChunk(release(Math.max(safe, released), redact), false, null);
    }

    /** Moves the release point back to before an unfinished {@code <LABEL_n>} so it is restored whole. */
    private int notInsidePlaceholder(int safe) {
        if (safe >= raw.length()) {
            return safe;
        }
        int from = Math.max(released, safe - RedactionVault.MAX_PLACEHOLDER);
        int open = raw.lastIndexOf("<", safe - 1);
        if (open >= from) {
            int close = raw.indexOf(">", open);
            if (close < 0 || close >= safe) {
                return open;
            }
        }
        return safe;
    }

    private String release(int end, List<Finding> redact) {
        if (end <= released) {
            return "";
        }
        String chunk = raw.substring(released, end);
        List<Finding> inside = new ArrayList<>();
        for (Finding f : redact) {
            if (f.start() >= released && f.end() <= end) {
                inside.add(f.shifted(-released));
            }
        }
        released = end;
        // Restore the caller's own placeholders first, then redact: placeholders made here are not restorable.
        return inside.isEmpty() ? session.restore(chunk) : session.vault().redactRestoring(chunk, inside, session::restore);
    }
}
