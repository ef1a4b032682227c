package dev.llmplatform.guardrails.topics;

/**
 * A banned topic described in a sentence or two; text whose embedding is at least {@code threshold}
 * cosine-similar to the description's is on the topic.
 *
 * @param name        short name; findings are {@code TOPIC_<NAME>}
 */
public record Topic(String name, String description, double threshold) {
}
