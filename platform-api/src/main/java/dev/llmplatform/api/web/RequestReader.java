package dev.llmplatform.api.web;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Typed, validated access to a JSON request body: every wrong type or out-of-range value becomes a 400
 * in OpenAI's shape naming the parameter, before any work starts. Absent and {@code null} are the same.
 */
public final class RequestReader {
    private final JsonNode body;

    public RequestReader(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalidRequest("the request body must be a JSON object", null);
        }
        this.body = body;
    }

    public JsonNode body() {
        return body;
    }

    /** The member, or null when absent or JSON null. */
    public JsonNode get(String name) {
        JsonNode n = body.get(name);
        return n == null || n.isNull() ? null : n;
    }

    public boolean has(String name) {
        return get(name) != null;
    }

    public String string(String name, String fallback) {
        JsonNode n = get(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isString()) {
            throw ApiException.invalidRequest("'" + name + "' must be a string", name);
        }
        return n.asString();
    }

    public String requiredString(String name) {
        String s = string(name, null);
        if (s == null || s.isEmpty()) {
            throw ApiException.invalidRequest("you must provide a '" + name + "' parameter", name);
        }
        return s;
    }

    public boolean bool(String name, boolean fallback) {
        JsonNode n = get(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw ApiException.invalidRequest("'" + name + "' must be a boolean", name);
        }
        return n.asBoolean();
    }

    /** An integer in [min, max], or {@code fallback} when absent. */
    public Integer integer(String name, Integer fallback, long min, long max) {
        JsonNode n = get(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isNumber() || !(n.isIntegralNumber() || n.asDouble() == Math.rint(n.asDouble()))) {
            throw ApiException.invalidRequest("'" + name + "' must be an integer", name);
        }
        double v = n.asDouble();
        if (v < min || v > max) {
            throw ApiException.invalidRequest("'" + name + "' must be between " + min + " and " + max + ", got " + n, name);
        }
        return (int) v;
    }

    public Long longValue(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber()) {
            throw ApiException.invalidRequest("'" + name + "' must be an integer", name);
        }
        return n.asLong();
    }

    /** A number in [min, max], or {@code fallback} when absent. */
    public double number(String name, double fallback, double min, double max) {
        JsonNode n = get(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw ApiException.invalidRequest("'" + name + "' must be a number", name);
        }
        double v = n.asDouble();
        if (!(v >= min && v <= max)) {
            throw ApiException.invalidRequest("'" + name + "' must be between " + min + " and " + max + ", got " + n, name);
        }
        return v;
    }

    /** A string or an array of strings (e.g. {@code stop}); empty when absent. */
    public List<String> stringOrList(String name, int maxItems) {
        JsonNode n = get(name);
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isString()) {
            out.add(n.asString());
        } else if (n.isArray()) {
            for (JsonNode item : n) {
                if (!item.isString()) {
                    throw ApiException.invalidRequest("'" + name + "' must be a string or an array of strings", name);
                }
                out.add(item.asString());
            }
        } else {
            throw ApiException.invalidRequest("'" + name + "' must be a string or an array of strings", name);
        }
        if (out.size() > maxItems) {
            throw ApiException.invalidRequest("'" + name + "' may have at most " + maxItems + " entries", name);
        }
        out.removeIf(String::isEmpty);
        return out;
    }
}
