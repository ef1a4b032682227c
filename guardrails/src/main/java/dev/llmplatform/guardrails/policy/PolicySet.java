package dev.llmplatform.guardrails.policy;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The policies of one configuration, by name; always has one named {@code default}. */
public record PolicySet(Map<String, Policy> policies) {
    public static final String DEFAULT = "default";

    public PolicySet {
        policies = Map.copyOf(policies);
        if (!policies.containsKey(DEFAULT)) {
            throw new PolicyException("no policy named 'default' (every configuration needs one)");
        }
    }

    /** The policy with this name; {@code null} or blank selects {@code default}. */
    public Policy get(String name) {
        String key = name == null || name.isBlank() ? DEFAULT : name;
        Policy p = policies.get(key);
        if (p == null) {
            throw new IllegalArgumentException("no guardrails policy named '" + key + "' (known: " + String.join(", ", names()) + ")");
        }
        return p;
    }

    public Set<String> names() {
        return new TreeSet<>(policies.keySet());
    }
}
