package dev.llmplatform.guardrails;

import java.util.List;

/** Finds spans of one or more categories in a text. Detectors are stateless and thread-safe. */
public interface Detector {
    List<Finding> detect(String text);
}
