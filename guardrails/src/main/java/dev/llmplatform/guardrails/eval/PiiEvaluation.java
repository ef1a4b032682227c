package dev.llmplatform.guardrails.eval;

import dev.llmplatform.guardrails.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Precision and recall of a PII detector on a Presidio-format set ({@code full_text}, {@code spans} with
 * {@code entity_type}, {@code start_position}, {@code end_position}). A gold span counts as found when a
 * finding of the same type overlaps it; a finding counts as correct when it overlaps a gold span of its
 * type. Overall figures are micro-averaged over every gold span, including types no detector covers.
 */
public final class PiiEvaluation {
    public record Sample(String text, List<Finding> gold) {
    }

    /** Per type: true positives among findings, findings, gold spans found, gold spans. */
    public record Counts(int correctFindings, int findings, int foundGold, int gold) {
        public double precision() {
            return findings == 0 ? 0 : (double) correctFindings / findings;
        }

        public double recall() {
            return gold == 0 ? 0 : (double) foundGold / gold;
        }

        Counts plus(Counts o) {
            return new Counts(correctFindings + o.correctFindings, findings + o.findings, foundGold + o.foundGold, gold + o.gold);
        }
    }

    public record Result(Counts overall, Map<String, Counts> perEntity, int samples) {
    }

    public static List<Sample> read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new IOException(file + ": not valid JSON");
        }
        if (!root.isArray()) {
            throw new IOException(file + ": expected a JSON array of {full_text, spans} (the Presidio format)");
        }
        List<Sample> samples = new ArrayList<>();
        for (JsonNode row : root) {
            if (!row.has("full_text") || !row.has("spans")) {
                throw new IOException(file + ": row " + samples.size() + " lacks full_text or spans");
            }
            List<Finding> gold = new ArrayList<>();
            for (JsonNode s : row.get("spans")) {
                gold.add(new Finding(s.get("entity_type").asString(), s.get("start_position").asInt(), s.get("end_position").asInt(), 1.0));
            }
            samples.add(new Sample(row.get("full_text").asString(), gold));
        }
        return samples;
    }

    public static Result evaluate(List<Sample> samples, Function<String, List<Finding>> detector) {
        Map<String, Counts> per = new TreeMap<>();
        for (Sample s : samples) {
            List<Finding> found = detector.apply(s.text());
            for (Finding f : found) {
                boolean correct = s.gold().stream().anyMatch(g -> g.category().equals(f.category()) && g.overlaps(f));
                per.merge(f.category(), new Counts(correct ? 1 : 0, 1, 0, 0), Counts::plus);
            }
            for (Finding g : s.gold()) {
                boolean foundIt = found.stream().anyMatch(f -> f.category().equals(g.category()) && g.overlaps(f));
                per.merge(g.category(), new Counts(0, 0, foundIt ? 1 : 0, 1), Counts::plus);
            }
        }
        Counts overall = per.values().stream().reduce(new Counts(0, 0, 0, 0), Counts::plus);
        return new Result(overall, per, samples.size());
    }
}
