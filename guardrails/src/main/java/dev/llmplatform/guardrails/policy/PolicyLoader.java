package dev.llmplatform.guardrails.policy;

import dev.llmplatform.guardrails.Action;
import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.topics.DenyListDetector;
import dev.llmplatform.guardrails.topics.Topic;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads policies from YAML (schema in docs/guardrails.md). Every mistake — unknown key, unknown
 * detector, action or category, a threshold outside [0, 1], a missing deny-list file — is a
 * {@link PolicyException} naming the source, the policy and the key.
 */
public final class PolicyLoader {
    /** The built-in policies, used when the configuration names no file. */
    public static final String DEFAULT_RESOURCE = "/dev/llmplatform/guardrails/default-policies.yaml";

    private static final Set<String> POLICY_KEYS = Set.of("input", "passage", "output", "actions", "output_actions",
            "thresholds", "classifier_threshold", "restore_output", "topics", "deny_list");

    private PolicyLoader() {
    }

    public static PolicySet loadDefault() {
        try (InputStream in = PolicyLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new PolicyException(DEFAULT_RESOURCE + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in policies", null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static PolicySet load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new PolicyException("guardrails policies file " + file + " does not exist");
        }
        try {
            return parse(Files.readString(file), file.toString(), file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new PolicyException("cannot read guardrails policies file " + file + ": " + e.getMessage());
        }
    }

    /** @param baseDir where relative deny-list files are resolved; {@code null} for none */
    public static PolicySet parse(String yaml, String source, Path baseDir) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new PolicyException(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("policies") instanceof Map<?, ?> policies)) {
            throw new PolicyException(source + ": expected a top-level 'policies:' map of named policies");
        }
        if (top.size() > 1) {
            throw new PolicyException(source + ": unknown top-level key(s) " + keysOtherThan(top, Set.of("policies")));
        }
        Map<String, Policy> parsed = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : policies.entrySet()) {
            String name = String.valueOf(e.getKey());
            parsed.put(name, new Reader(source, name, baseDir).policy(e.getValue()));
        }
        if (!parsed.containsKey(PolicySet.DEFAULT)) {
            throw new PolicyException(source + ": no policy named 'default' (every configuration needs one)");
        }
        return new PolicySet(parsed);
    }

    private static List<String> keysOtherThan(Map<?, ?> map, Set<String> allowed) {
        return map.keySet().stream().map(String::valueOf).filter(k -> !allowed.contains(k)).toList();
    }

    /** Reads one policy, knowing where it is for error messages. */
    private record Reader(String source, String policy, Path baseDir) {
        PolicyException error(String key, String problem) {
            return new PolicyException(source + ": policy '" + policy + "', key '" + key + "': " + problem);
        }

        Policy policy(Object node) {
            if (!(node instanceof Map<?, ?> map)) {
                throw new PolicyException(source + ": policy '" + policy + "' must be a map of settings");
            }
            List<String> unknown = keysOtherThan(map, POLICY_KEYS);
            if (!unknown.isEmpty()) {
                throw error(unknown.getFirst(), "unknown key (known: " + String.join(", ", POLICY_KEYS.stream().sorted().toList()) + ")");
            }
            Map<Rail, Set<DetectorName>> detectors = new EnumMap<>(Rail.class);
            for (Rail rail : Rail.values()) {
                detectors.put(rail, detectorList(rail.key(), map.get(rail.key())));
            }
            Double classifierThreshold = map.containsKey("classifier_threshold")
                    ? probability("classifier_threshold", map.get("classifier_threshold")) : null;
            Object restore = map.containsKey("restore_output") ? map.get("restore_output") : Boolean.FALSE;
            if (!(restore instanceof Boolean restoreOutput)) {
                throw error("restore_output", "expected true or false, got '" + restore + "'");
            }
            return new Policy(policy, detectors, actions("actions", map.get("actions")),
                    actions("output_actions", map.get("output_actions")), thresholds(map.get("thresholds")),
                    classifierThreshold, restoreOutput, topics(map.get("topics")), denyTerms(map.get("deny_list")));
        }

        Set<DetectorName> detectorList(String key, Object node) {
            Set<DetectorName> set = EnumSet.noneOf(DetectorName.class);
            if (node == null) {
                return set;
            }
            if (!(node instanceof List<?> list)) {
                throw error(key, "expected a list of detectors (" + DetectorName.choices() + ")");
            }
            for (Object o : list) {
                DetectorName d = DetectorName.parse(String.valueOf(o));
                if (d == null) {
                    throw error(key, "unknown detector '" + o + "' (known: " + DetectorName.choices() + ")");
                }
                if (key.equals("output") && d.usesEmbeddings()) {
                    throw error(key, "detector '" + o + "' cannot run on the streamed output rail");
                }
                set.add(d);
            }
            return set;
        }

        Map<String, Action> actions(String key, Object node) {
            Map<String, Action> out = new HashMap<>();
            for (Map.Entry<?, ?> e : map(key, node).entrySet()) {
                String category = category(key, String.valueOf(e.getKey()));
                String value = String.valueOf(e.getValue()).toLowerCase(Locale.ROOT);
                Action a = switch (value) {
                    case "block" -> Action.BLOCK;
                    case "redact" -> Action.REDACT;
                    case "flag" -> Action.FLAG;
                    default -> throw error(key + "." + category, "unknown action '" + e.getValue() + "' (block, redact, flag)");
                };
                out.put(category, a);
            }
            return out;
        }

        Map<String, Double> thresholds(Object node) {
            Map<String, Double> out = new HashMap<>();
            for (Map.Entry<?, ?> e : map("thresholds", node).entrySet()) {
                String category = category("thresholds", String.valueOf(e.getKey()));
                out.put(category, probability("thresholds." + category, e.getValue()));
            }
            return out;
        }

        String category(String key, String name) {
            String upper = name.toUpperCase(Locale.ROOT);
            if (name.equals(Policy.DEFAULT_KEY)) {
                return Policy.DEFAULT_KEY;
            }
            if (!Category.isKnown(upper)) {
                throw error(key + "." + name, "unknown category or family (families: "
                        + String.join(", ", Category.FAMILIES.stream().sorted().toList()) + ", or a category such as EMAIL_ADDRESS)");
            }
            return upper;
        }

        double probability(String key, Object value) {
            if (!(value instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1) {
                throw error(key, "expected a number between 0 and 1, got '" + value + "'");
            }
            return n.doubleValue();
        }

        Map<?, ?> map(String key, Object node) {
            if (node == null) {
                return Map.of();
            }
            if (!(node instanceof Map<?, ?> m)) {
                throw error(key, "expected a map of category: value");
            }
            return m;
        }

        List<Topic> topics(Object node) {
            List<Topic> out = new ArrayList<>();
            if (node == null) {
                return out;
            }
            if (!(node instanceof List<?> list)) {
                throw error("topics", "expected a list of {name, description, threshold}");
            }
            for (int i = 0; i < list.size(); i++) {
                String key = "topics[" + i + "]";
                if (!(list.get(i) instanceof Map<?, ?> t)) {
                    throw error(key, "expected {name, description, threshold}");
                }
                List<String> unknown = keysOtherThan(t, Set.of("name", "description", "threshold"));
                if (!unknown.isEmpty()) {
                    throw error(key + "." + unknown.getFirst(), "unknown key (name, description, threshold)");
                }
                if (!(t.get("name") instanceof String name) || !name.matches("[A-Za-z][A-Za-z0-9_]*")) {
                    throw error(key + ".name", "expected a name of letters, digits and '_'");
                }
                if (!(t.get("description") instanceof String description) || description.isBlank()) {
                    throw error(key + ".description", "expected a sentence describing the topic");
                }
                double threshold = t.containsKey("threshold") ? probability(key + ".threshold", t.get("threshold")) : 0.5;
                out.add(new Topic(name, description, threshold));
            }
            return out;
        }

        List<String> denyTerms(Object node) {
            List<String> terms = new ArrayList<>();
            if (node == null) {
                return terms;
            }
            if (!(node instanceof Map<?, ?> m)) {
                throw error("deny_list", "expected {words: [...], file: PATH}");
            }
            List<String> unknown = keysOtherThan(m, Set.of("words", "file"));
            if (!unknown.isEmpty()) {
                throw error("deny_list." + unknown.getFirst(), "unknown key (words, file)");
            }
            if (m.get("words") instanceof List<?> words) {
                words.forEach(w -> terms.add(String.valueOf(w)));
            } else if (m.get("words") != null) {
                throw error("deny_list.words", "expected a list of words");
            }
            if (m.get("file") != null) {
                Path file = Path.of(String.valueOf(m.get("file")));
                if (!file.isAbsolute() && baseDir != null) {
                    file = baseDir.resolve(file);
                }
                try {
                    terms.addAll(DenyListDetector.readTerms(file));
                } catch (IOException e) {
                    throw error("deny_list.file", "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
                }
            }
            return terms;
        }
    }
}
