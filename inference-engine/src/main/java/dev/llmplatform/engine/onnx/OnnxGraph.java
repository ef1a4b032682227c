package dev.llmplatform.engine.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ONNX {@code GraphProto}: nodes in topological order, initializers by name, and the names of the
 * graph's inputs and outputs. Offers the look-ups an importer needs to walk the graph: who produces a
 * value, who consumes it, and whether a value is a constant (initializer or Constant node).
 */
public final class OnnxGraph {
    private final String name;
    private final List<OnnxNode> nodes;
    private final Map<String, OnnxTensor> initializers;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, OnnxNode> producers = new HashMap<>();
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();
    private final Map<String, OnnxTensor> constants = new HashMap<>();

    OnnxGraph(String name, List<OnnxNode> nodes, Map<String, OnnxTensor> initializers, List<String> inputs, List<String> outputs) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
        this.initializers = Collections.unmodifiableMap(initializers);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        for (OnnxNode n : nodes) {
            for (String out : n.outputs()) {
                producers.put(out, n);
            }
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
            if (n.opType().equals("Constant") && n.attribute("value") != null && n.attribute("value").t() != null) {
                constants.put(n.output(0), n.attribute("value").t());
            }
        }
    }

    static OnnxGraph decode(ProtoReader in) {
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        while (in.hasMore()) {
            in.readTag();
            switch (in.fieldNumber()) {
                case 1 -> nodes.add(OnnxNode.decode(in.readMessage()));
                case 2 -> name = in.readString();
                case 5 -> {
                    OnnxTensor t = OnnxTensor.decode(in.readMessage());
                    initializers.put(t.name(), t);
                }
                case 11 -> inputs.add(valueInfoName(in.readMessage()));
                case 12 -> outputs.add(valueInfoName(in.readMessage()));
                default -> in.skipField();
            }
        }
        // Older exporters list initializers among the inputs too; those are not runtime inputs.
        inputs.removeIf(initializers::containsKey);
        return new OnnxGraph(name, nodes, initializers, inputs, outputs);
    }

    private static String valueInfoName(ProtoReader in) {
        String name = "";
        while (in.hasMore()) {
            in.readTag();
            if (in.fieldNumber() == 1) {
                name = in.readString();
            } else {
                in.skipField();
            }
        }
        return name;
    }

    public String name() {
        return name;
    }

    public List<OnnxNode> nodes() {
        return nodes;
    }

    public Map<String, OnnxTensor> initializers() {
        return initializers;
    }

    public List<String> inputs() {
        return inputs;
    }

    public List<String> outputs() {
        return outputs;
    }

    /** The node that produces {@code value}, if any (graph inputs and initializers have none). */
    public Optional<OnnxNode> producer(String value) {
        return Optional.ofNullable(producers.get(value));
    }

    /** The nodes that read {@code value}, in graph order. */
    public List<OnnxNode> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** The constant held by {@code value}: an initializer or the output of a Constant node. */
    public Optional<OnnxTensor> constant(String value) {
        OnnxTensor t = initializers.get(value);
        return Optional.ofNullable(t != null ? t : constants.get(value));
    }
}
