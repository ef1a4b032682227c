package dev.llmplatform.guardrails;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Operations on lists of findings. */
public final class Findings {
    private Findings() {
    }

    /** Keeps the strongest of overlapping findings: higher score, then longer span, then earlier; sorted by start. */
    public static List<Finding> resolveOverlaps(List<Finding> findings) {
        List<Finding> byStrength = new ArrayList<>(findings);
        byStrength.sort(Comparator.comparingDouble(Finding::score).reversed()
                .thenComparing(Comparator.comparingInt((Finding f) -> f.end() - f.start()).reversed())
                .thenComparingInt(Finding::start));
        List<Finding> kept = new ArrayList<>();
        for (Finding f : byStrength) {
            if (kept.stream().noneMatch(k -> k.overlaps(f))) {
                kept.add(f);
            }
        }
        kept.sort(Comparator.comparingInt(Finding::start));
        return kept;
    }
}
