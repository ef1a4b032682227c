package dev.llmplatform.engine.model;

/** Qwen2/2.5: the llama block with biases on Q, K and V (loaded when present) and NeoX RoPE. */
final class Qwen2Architecture extends Architecture {
}
