package dev.llmplatform.engine.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An ONNX {@code ModelProto}: the IR version, producer and the main graph. The whole file is read into
 * one byte array; tensors refer into it until their values are converted.
 */
public record OnnxModel(long irVersion, String producerName, String producerVersion, long opsetVersion, OnnxGraph graph) {

    public static OnnxModel read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    public static OnnxModel read(InputStream in) throws IOException {
        return parse(in.readAllBytes());
    }

    public static OnnxModel parse(byte[] bytes) {
        ProtoReader in = new ProtoReader(bytes);
        long ir = 0;
        String producer = "";
        String producerVersion = "";
        long opset = 0;
        OnnxGraph graph = null;
        while (in.hasMore()) {
            in.readTag();
            switch (in.fieldNumber()) {
                case 1 -> ir = in.readVarint();
                case 2 -> producer = in.readString();
                case 3 -> producerVersion = in.readString();
                case 7 -> graph = OnnxGraph.decode(in.readMessage());
                case 8 -> opset = Math.max(opset, defaultDomainOpset(in.readMessage()));
                default -> in.skipField();
            }
        }
        if (graph == null) {
            throw new OnnxException("not an ONNX model: no graph");
        }
        return new OnnxModel(ir, producer, producerVersion, opset, graph);
    }

    /** OperatorSetIdProto: the version of the default ("" or "ai.onnx") domain, else 0. */
    private static long defaultDomainOpset(ProtoReader in) {
        String domain = "";
        long version = 0;
        while (in.hasMore()) {
            in.readTag();
            switch (in.fieldNumber()) {
                case 1 -> domain = in.readString();
                case 2 -> version = in.readVarint();
                default -> in.skipField();
            }
        }
        return domain.isEmpty() || domain.equals("ai.onnx") ? version : 0;
    }
}
