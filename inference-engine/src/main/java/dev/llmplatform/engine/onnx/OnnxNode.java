package dev.llmplatform.engine.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX {@code NodeProto}: one operator application.
 *
 * @param inputs     value names consumed (an empty string marks an omitted optional input)
 * @param outputs    value names produced
 * @param attributes by name
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       Map<String, OnnxAttribute> attributes) {

    static OnnxNode decode(ProtoReader in) {
        String name = "";
        String opType = "";
        String domain = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, OnnxAttribute> attributes = new LinkedHashMap<>();
        while (in.hasMore()) {
            in.readTag();
            switch (in.fieldNumber()) {
                case 1 -> inputs.add(in.readString());
                case 2 -> outputs.add(in.readString());
                case 3 -> name = in.readString();
                case 4 -> opType = in.readString();
                case 5 -> {
                    OnnxAttribute a = OnnxAttribute.decode(in.readMessage());
                    attributes.put(a.name(), a);
                }
                case 7 -> domain = in.readString();
                default -> in.skipField();
            }
        }
        return new OnnxNode(name, opType, domain, List.copyOf(inputs), List.copyOf(outputs), Map.copyOf(attributes));
    }

    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    public String output(int i) {
        return outputs.get(i);
    }

    public OnnxAttribute attribute(String attributeName) {
        return attributes.get(attributeName);
    }
}
