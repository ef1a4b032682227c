package dev.llmplatform.guardrails;

import dev.llmplatform.engine.encoder.EncoderWorkspace;
import dev.llmplatform.engine.encoder.SentenceEmbedder;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The guardrails' view of the engine's sentence encoder: embeddings, early-layer features for the injection
 * classifier, and the token count that decides whether a text needs windows.
 */
public final class EncoderTextEmbedder implements TextEmbedder {
    private final SentenceEmbedder encoder;
    private final ConcurrentMap<Integer, SentenceEmbedder> byDepth = new ConcurrentHashMap<>();

    public EncoderTextEmbedder(SentenceEmbedder encoder) {
        this.encoder = encoder;
    }

    /** all-MiniLM-L6-v2, bundled with the engine. */
    public static EncoderTextEmbedder loadDefault() {
        return new EncoderTextEmbedder(SentenceEmbedder.loadDefault());
    }

    /** The engine's encoder itself, for detectors that read its token states (the PII tagger's contextual head). */
    public SentenceEmbedder encoder() {
        return encoder;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        return encoder.embed(texts);
    }

    @Override
    public List<float[]> embed(List<String> texts, int layers) {
        if (layers == ALL_LAYERS || layers == encoder.layers()) {
            return encoder.embed(texts);
        }
        return byDepth.computeIfAbsent(layers, encoder::withLayers).embed(texts);
    }

    @Override
    public List<SentenceEmbedder.TokenStates> encodeTokens(List<String> texts, int layers, EncoderWorkspace workspace) {
        SentenceEmbedder e = layers == ALL_LAYERS || layers == encoder.layers() ? encoder : byDepth.computeIfAbsent(layers, encoder::withLayers);
        int[][] ids = texts.stream().map(e::tokenize).toArray(int[][]::new);
        return workspace == null ? e.encodeTokens(ids) : e.encodeTokens(ids, workspace);
    }

    /** From the encoder's pool of idle workspaces (shared by every depth). */
    @Override
    public EncoderWorkspace acquireWorkspace() {
        return encoder.acquireWorkspace();
    }

    @Override
    public boolean readsWhole(String text) {
        return encoder.tokenCount(text) <= encoder.maxTokens();
    }
}
