package dev.llmplatform.engine.encoder;

import dev.llmplatform.engine.onnx.OnnxException;
import dev.llmplatform.engine.onnx.OnnxGraph;
import dev.llmplatform.engine.onnx.OnnxModel;
import dev.llmplatform.engine.onnx.OnnxNode;
import dev.llmplatform.engine.onnx.OnnxTensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Imports the weights of a BERT encoder exported to ONNX (PyTorch → ONNX, as Hugging Face's exporters
 * write it) by reading the graph, not the initializer names: projection weights carry generated names
 * such as {@code onnx::MatMul_787}, so each one's role is found from where it sits in the dataflow.
 *
 * <ul>
 *   <li>the embedding tables are the data inputs of the {@code Gather}s indexed by {@code input_ids},
 *       {@code token_type_ids} and (the remaining one) the position ids;</li>
 *   <li>a linear layer is a {@code MatMul} by a constant followed by an {@code Add} of a constant bias;</li>
 *   <li>in each block, the three linears fed by the block input are told apart by where they meet:
 *       the query is the left operand of the score {@code MatMul}, the key its right operand, the value
 *       the right operand of the {@code MatMul} whose left operand comes from the {@code Softmax};</li>
 *   <li>the attention output projection is the next linear after the value's {@code MatMul}, then a
 *       LayerNorm (a {@code LayerNormalization} node, or its ReduceMean/Sub/Pow/Sqrt/Div/Mul/Add
 *       decomposition, whose epsilon is the scalar {@code Add}), the up projection, GELU (an {@code Erf}
 *       must lie on the way), the down projection and the second LayerNorm.</li>
 * </ul>
 * The head count comes from the shape the query is reshaped to ({@code [batch, length, heads, headDim]}).
 */
public final class OnnxBertImporter {
    private final OnnxGraph graph;

    private OnnxBertImporter(OnnxGraph graph) {
        this.graph = graph;
    }

    public static BertWeights importWeights(OnnxModel model) {
        return new OnnxBertImporter(model.graph()).run();
    }

    private record Linear(float[] weight, int inputs, int outputs, float[] bias, String output, OnnxNode matMul) {}

    private record Norm(LayerNormWeights weights, float eps, String output) {}

    private BertWeights run() {
        String inputIds = requireInput("input_ids");
        OnnxNode wordGather = embeddingGather(inputIds)
                .orElseThrow(() -> new OnnxException("no Gather reads an embedding table with input_ids"));
        OnnxTensor word = graph.constant(wordGather.input(0)).orElseThrow();
        int hidden = Math.toIntExact(word.dims()[1]);
        int vocab = Math.toIntExact(word.dims()[0]);

        Optional<OnnxNode> typeGather = graph.inputs().contains("token_type_ids")
                ? embeddingGather("token_type_ids") : Optional.empty();
        float[] typeTable = typeGather.map(n -> graph.constant(n.input(0)).orElseThrow().floats()).orElse(new float[hidden]);
        OnnxNode positionGather = graph.nodes().stream()
                .filter(n -> n.opType().equals("Gather") && n != wordGather && typeGather.map(t -> t != n).orElse(true))
                .filter(n -> isMatrix(n.input(0)))
                .findFirst().orElseThrow(() -> new OnnxException("no position-embedding Gather found"));
        OnnxTensor position = graph.constant(positionGather.input(0)).orElseThrow();
        if (position.dims()[1] != hidden || typeTable.length % hidden != 0) {
            throw new OnnxException("embedding tables disagree on the hidden size " + hidden);
        }

        Norm embNorm = nextLayerNorm(wordGather.output(0), hidden);
        List<BertLayer> layers = new ArrayList<>();
        String h = embNorm.output();
        int heads = -1;
        int intermediate = -1;
        while (true) {
            List<OnnxNode> projections = graph.consumers(h).stream().filter(this::isLinearMatMul).toList();
            if (projections.isEmpty()) {
                break;
            }
            if (projections.size() != 3) {
                throw new OnnxException("block " + layers.size() + ": expected 3 projections (query, key, value), found "
                        + projections.size());
            }
            Linear q = null;
            Linear k = null;
            Linear v = null;
            OnnxNode valueMatMul = null;
            for (OnnxNode mm : projections) {
                Linear lin = linear(mm);
                Reached r = forward(lin.output(), n -> n.opType().equals("MatMul") && !isLinearMatMul(n), null);
                int operand = r.operandIndex();
                if (operand == 1 && producedBySoftmax(r.node().input(0))) {
                    v = lin;
                    valueMatMul = r.node();
                } else if (operand == 0) {
                    q = lin;
                    heads = headsFromReshape(lin.output(), hidden);
                } else {
                    k = lin;
                }
            }
            if (q == null || k == null || v == null) {
                throw new OnnxException("block " + layers.size() + ": cannot tell query, key and value apart");
            }
            Linear attnOut = linear(forward(valueMatMul.output(0), this::isLinearMatMul, null).node());
            Norm attnNorm = nextLayerNorm(attnOut.output(), hidden);
            Linear up = linear(forward(attnNorm.output(), this::isLinearMatMul, null).node());
            Set<String> between = new HashSet<>();
            Linear down = linear(forward(up.output(), this::isLinearMatMul, between).node());
            if (!between.contains("Erf")) {
                throw new OnnxException("block " + layers.size() + ": the feed-forward activation is not GELU (erf form); found "
                        + between);
            }
            Norm outNorm = nextLayerNorm(down.output(), hidden);
            intermediate = up.outputs();
            layers.add(new BertLayer(fuse(q, k, v), pack(attnOut), attnNorm.weights(), pack(up), pack(down), outNorm.weights()));
            h = outNorm.output();
        }
        if (layers.isEmpty()) {
            throw new OnnxException("no encoder blocks found after the embedding LayerNorm");
        }
        if (!graph.outputs().contains(h)) {
            throw new OnnxException("the last block's output '" + h + "' is not a graph output " + graph.outputs());
        }
        BertConfig config = new BertConfig(vocab, hidden, layers.size(), heads, intermediate,
                Math.toIntExact(position.dims()[0]), typeTable.length / hidden, embNorm.eps());
        return new BertWeights(config, word.floats(), position.floats(), typeTable, embNorm.weights(), layers);
    }

    private String requireInput(String name) {
        if (!graph.inputs().contains(name)) {
            throw new OnnxException("the graph has no input '" + name + "' (inputs: " + graph.inputs() + ")");
        }
        return name;
    }

    private Optional<OnnxNode> embeddingGather(String indices) {
        return graph.consumers(indices).stream()
                .filter(n -> n.opType().equals("Gather") && n.input(1).equals(indices) && isMatrix(n.input(0)))
                .findFirst();
    }

    private boolean isMatrix(String value) {
        return graph.constant(value).map(t -> t.dims().length == 2 && t.dataType() == OnnxTensor.FLOAT).orElse(false);
    }

    private boolean isLinearMatMul(OnnxNode n) {
        return n.opType().equals("MatMul") && isMatrix(n.input(1));
    }

    private Linear linear(OnnxNode matMul) {
        OnnxTensor w = graph.constant(matMul.input(1)).orElseThrow();
        int inputs = Math.toIntExact(w.dims()[0]);
        int outputs = Math.toIntExact(w.dims()[1]);
        String out = matMul.output(0);
        float[] bias = null;
        for (OnnxNode add : graph.consumers(out)) {
            if (add.opType().equals("Add")) {
                String other = add.input(0).equals(out) ? add.input(1) : add.input(0);
                Optional<OnnxTensor> b = graph.constant(other);
                if (b.isPresent() && b.get().elementCount() == outputs) {
                    bias = b.get().floats();
                    out = add.output(0);
                    break;
                }
            }
        }
        return new Linear(w.floats(), inputs, outputs, bias, out, matMul);
    }

    private static PackedMatrix pack(Linear l) {
        return PackedMatrix.fromInputMajor(l.weight(), l.inputs(), l.outputs(), l.bias());
    }

    /** Query, key and value side by side: one {@code H × 3H} matrix, so one GEMM projects all three. */
    private static PackedMatrix fuse(Linear q, Linear k, Linear v) {
        int in = q.inputs();
        int n = q.outputs();
        if (k.inputs() != in || v.inputs() != in || k.outputs() != n || v.outputs() != n) {
            throw new OnnxException("query, key and value projections differ in shape");
        }
        float[] w = new float[in * 3 * n];
        float[] bias = new float[3 * n];
        Linear[] parts = {q, k, v};
        for (int p = 0; p < 3; p++) {
            for (int r = 0; r < in; r++) {
                System.arraycopy(parts[p].weight(), r * n, w, r * 3 * n + p * n, n);
            }
            if (parts[p].bias() != null) {
                System.arraycopy(parts[p].bias(), 0, bias, p * n, n);
            }
        }
        return PackedMatrix.fromInputMajor(w, in, 3 * n, bias);
    }

    private record Reached(OnnxNode node, int operandIndex) {}

    /**
     * Breadth-first along the dataflow from {@code value} to the first node matching {@code target};
     * the op types passed on the way are added to {@code passed} unless it is null.
     */
    private Reached forward(String value, Predicate<OnnxNode> target, Set<String> passed) {
        ArrayDeque<String> queue = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        queue.add(value);
        seen.add(value);
        while (!queue.isEmpty()) {
            String v = queue.poll();
            for (OnnxNode n : graph.consumers(v)) {
                if (target.test(n)) {
                    for (int i = 0; i < n.inputs().size(); i++) {
                        if (seen.contains(n.input(i))) {
                            return new Reached(n, i);
                        }
                    }
                }
                if (passed != null) {
                    passed.add(n.opType());
                }
                for (String out : n.outputs()) {
                    if (seen.add(out)) {
                        queue.add(out);
                    }
                }
            }
        }
        throw new OnnxException("nothing expected follows '" + value + "' in the graph");
    }

    private boolean producedBySoftmax(String value) {
        String v = value;
        for (int step = 0; step < 4; step++) {
            Optional<OnnxNode> p = graph.producer(v);
            if (p.isEmpty()) {
                return false;
            }
            if (p.get().opType().equals("Softmax")) {
                return true;
            }
            v = p.get().input(0);
        }
        return false;
    }

    /** Heads from the query's reshape to {@code [batch, length, heads, headDim]}. */
    private int headsFromReshape(String query, int hidden) {
        OnnxNode reshape = forward(query, n -> n.opType().equals("Reshape"), null).node();
        long[] shape = shapeValues(reshape.input(1));
        if (shape.length != 4 || shape[2] <= 0 || shape[3] <= 0 || shape[2] * shape[3] != hidden) {
            throw new OnnxException("cannot read the head count from the query reshape " + java.util.Arrays.toString(shape));
        }
        return (int) shape[2];
    }

    /** A shape operand's values; -1 where a dimension is computed at run time. */
    private long[] shapeValues(String value) {
        Optional<OnnxTensor> c = graph.constant(value);
        if (c.isPresent()) {
            return c.get().longs();
        }
        OnnxNode p = graph.producer(value).orElseThrow(() -> new OnnxException("shape '" + value + "' has no producer"));
        if (!p.opType().equals("Concat")) {
            throw new OnnxException("shape '" + value + "' is computed by " + p.opType() + ", not a Concat of constants");
        }
        List<Long> dims = new ArrayList<>();
        for (String in : p.inputs()) {
            Optional<OnnxTensor> part = graph.constant(in);
            if (part.isPresent()) {
                for (long d : part.get().longs()) {
                    dims.add(d);
                }
            } else {
                dims.add(-1L);
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private Norm nextLayerNorm(String value, int hidden) {
        OnnxNode start = forward(value, n -> n.opType().equals("LayerNormalization") || n.opType().equals("ReduceMean"), null).node();
        if (start.opType().equals("LayerNormalization")) {
            float eps = start.attribute("epsilon") != null ? start.attribute("epsilon").f() : 1e-5f;
            float[] g = graph.constant(start.input(1)).orElseThrow().floats();
            float[] b = graph.constant(start.input(2)).orElseThrow().floats();
            return new Norm(new LayerNormWeights(g, b), eps, start.output(0));
        }
        // Decomposed: mean, centre, mean of squares, + eps, sqrt, divide, * gamma, + beta. The search
        // stays inside the LayerNorm: it does not go past the Mul by gamma.
        ArrayDeque<String> queue = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        queue.add(start.output(0));
        Float eps = null;
        OnnxNode scale = null;
        OnnxTensor gamma = null;
        while (!queue.isEmpty()) {
            for (OnnxNode n : graph.consumers(queue.poll())) {
                Optional<OnnxTensor> c = constantOperand(n);
                if (n.opType().equals("Add") && eps == null && c.isPresent() && c.get().elementCount() == 1) {
                    eps = (float) c.get().scalar();
                }
                if (n.opType().equals("Mul") && c.isPresent() && c.get().elementCount() == hidden) {
                    scale = n;
                    gamma = c.get();
                    continue;
                }
                for (String out : n.outputs()) {
                    if (seen.add(out)) {
                        queue.add(out);
                    }
                }
            }
        }
        if (scale == null || eps == null) {
            throw new OnnxException("the LayerNorm after '" + value + "' has no " + (scale == null ? "scale" : "epsilon"));
        }
        for (OnnxNode add : graph.consumers(scale.output(0))) {
            Optional<OnnxTensor> beta = constantOperand(add);
            if (add.opType().equals("Add") && beta.isPresent() && beta.get().elementCount() == hidden) {
                return new Norm(new LayerNormWeights(gamma.floats(), beta.get().floats()), eps, add.output(0));
            }
        }
        throw new OnnxException("the LayerNorm after '" + value + "' has no shift");
    }

    private Optional<OnnxTensor> constantOperand(OnnxNode n) {
        Optional<OnnxTensor> a = graph.constant(n.input(0));
        return a.isPresent() ? a : graph.constant(n.input(1));
    }
}
