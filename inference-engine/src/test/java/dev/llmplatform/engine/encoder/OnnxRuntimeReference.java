package dev.llmplatform.engine.encoder;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * ONNX Runtime running the bundled all-MiniLM-L6-v2 file: the reference the native encoder is compared
 * with. Padded batches with an attention mask; mean pooling over the mask; L2 normalisation, as
 * sentence-transformers does.
 */
final class OnnxRuntimeReference implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;

    OnnxRuntimeReference(int threads) throws Exception {
        env = OrtEnvironment.getEnvironment();
        byte[] model;
        try (InputStream in = OnnxRuntimeReference.class.getResourceAsStream(SentenceEmbedder.DEFAULT_ONNX_RESOURCE)) {
            model = in.readAllBytes();
        }
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(model, options);
    }

    /** Mean-pooled embeddings of a batch of model inputs (each with [CLS]/[SEP]); shorter ones are padded with 0. */
    float[][] embed(int[][] batch) throws OrtException {
        return embed(batch, Pooling.MEAN);
    }

    /** Embeddings of a batch pooled by {@code pooling} over each input's real tokens. */
    float[][] embed(int[][] batch, Pooling pooling) throws OrtException {
        int len = Arrays.stream(batch).mapToInt(a -> a.length).max().orElse(0);
        long[][] ids = new long[batch.length][len];
        long[][] mask = new long[batch.length][len];
        long[][] types = new long[batch.length][len];
        for (int b = 0; b < batch.length; b++) {
            for (int t = 0; t < batch[b].length; t++) {
                ids[b][t] = batch[b][t];
                mask[b][t] = 1;
            }
        }
        Map<String, ai.onnxruntime.OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", ai.onnxruntime.OnnxTensor.createTensor(env, ids));
            inputs.put("attention_mask", ai.onnxruntime.OnnxTensor.createTensor(env, mask));
            inputs.put("token_type_ids", ai.onnxruntime.OnnxTensor.createTensor(env, types));
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get("last_hidden_state").orElseThrow().getValue();
                float[][] out = new float[batch.length][];
                for (int b = 0; b < batch.length; b++) {
                    int h = hidden[b][0].length;
                    float[] v = new float[h];
                    int pooled = pooling == Pooling.CLS ? 1 : batch[b].length;
                    for (int t = 0; t < pooled; t++) {
                        for (int i = 0; i < h; i++) {
                            v[i] += hidden[b][t][i];
                        }
                    }
                    for (int i = 0; i < h; i++) {
                        v[i] /= pooled;
                    }
                    Pooling.normalize(v);
                    out[b] = v;
                }
                return out;
            }
        } finally {
            inputs.values().forEach(ai.onnxruntime.OnnxTensor::close);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
