package dev.llmplatform.engine.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * An ONNX {@code AttributeProto}, reduced to the kinds an encoder graph uses: a float, an integer, a
 * string, a tensor (Constant's {@code value}) or lists of integers/floats.
 */
public record OnnxAttribute(String name, Float f, Long i, String s, OnnxTensor t, long[] ints, float[] floats) {

    static OnnxAttribute decode(ProtoReader in) {
        String name = "";
        Float f = null;
        Long i = null;
        String s = null;
        OnnxTensor t = null;
        List<Long> ints = new ArrayList<>();
        List<Float> floats = new ArrayList<>();
        while (in.hasMore()) {
            in.readTag();
            switch (in.fieldNumber()) {
                case 1 -> name = in.readString();
                case 2 -> f = in.readFloat();
                case 3 -> i = in.readVarint();
                case 4 -> s = in.readString();
                case 5 -> t = OnnxTensor.decode(in.readMessage());
                case 7 -> {
                    if (in.wireType() == ProtoReader.LENGTH_DELIMITED) {
                        ProtoReader packed = in.readMessage();
                        while (packed.hasMore()) {
                            floats.add(packed.readFloat());
                        }
                    } else {
                        floats.add(in.readFloat());
                    }
                }
                case 8 -> in.readVarints(ints::add);
                default -> in.skipField();
            }
        }
        float[] fs = new float[floats.size()];
        for (int k = 0; k < fs.length; k++) {
            fs[k] = floats.get(k);
        }
        return new OnnxAttribute(name, f, i, s, t, ints.stream().mapToLong(Long::longValue).toArray(), fs);
    }
}
