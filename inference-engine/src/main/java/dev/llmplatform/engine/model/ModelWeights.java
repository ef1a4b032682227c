package dev.llmplatform.engine.model;

import dev.llmplatform.engine.gguf.GgufException;
import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufTensor;
import dev.llmplatform.engine.tensor.ComputeResources;
import dev.llmplatform.engine.tensor.Kernels;
import dev.llmplatform.engine.tensor.WeightMatrix;
import java.util.Optional;

/**
 * Named access to a GGUF file's tensors: matrices over the mapped file (off-heap); small vectors
 * (norm weights, biases) are read into float arrays. Matrices compute with the loading model's
 * {@link ComputeResources}.
 */
public final class ModelWeights {
    private final GgufFile file;
    private final ComputeResources resources;

    public ModelWeights(GgufFile file, ComputeResources resources) {
        this.file = file;
        this.resources = resources;
    }

    public ComputeResources resources() {
        return resources;
    }

    public GgufFile file() {
        return file;
    }

    public boolean has(String name) {
        return file.tensor(name).isPresent();
    }

    public WeightMatrix matrix(String name) {
        return toMatrix(file.requireTensor(name));
    }

    /** A matrix whose shape is checked: {@code rows} outputs of {@code cols} inputs. */
    public WeightMatrix matrix(String name, int rows, int cols) {
        WeightMatrix m = matrix(name);
        if (m.rows() != rows || m.cols() != cols) {
            throw new GgufException("tensor '" + name + "' is " + m.rows() + "×" + m.cols() + ", expected " + rows + "×" + cols);
        }
        return m;
    }

    public Optional<WeightMatrix> optionalMatrix(String name) {
        return file.tensor(name).map(this::toMatrix);
    }

    public float[] vector(String name, int length) {
        float[] v = vector(file.requireTensor(name));
        if (v.length != length) {
            throw new GgufException("tensor '" + name + "' has " + v.length + " values, expected " + length);
        }
        return v;
    }

    public float[] optionalVector(String name) {
        return file.tensor(name).map(ModelWeights::vector).orElse(null);
    }

    public RmsNorm norm(String name, int length, float eps) {
        return new RmsNorm(vector(name, length), eps);
    }

    public RmsNorm optionalNorm(String name, int length, float eps) {
        return has(name) ? norm(name, length, eps) : null;
    }

    private WeightMatrix toMatrix(GgufTensor t) {
        if (!Kernels.isSupported(t.type())) {
            throw new GgufException("tensor '" + t.name() + "' has type " + t.type() + ", which this engine cannot compute with yet");
        }
        return t.matrix(resources);
    }

    private static float[] vector(GgufTensor t) {
        if (!Kernels.isSupported(t.type())) {
            throw new GgufException("tensor '" + t.name() + "' has type " + t.type() + ", which this engine cannot compute with yet");
        }
        return t.floats();
    }
}
