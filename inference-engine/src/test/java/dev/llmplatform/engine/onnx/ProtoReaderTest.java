package dev.llmplatform.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The wire-format reader and the ONNX decoding on hand-encoded messages. */
class ProtoReaderTest {

    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        Writer tag(int field, int wire) {
            return varint((long) field << 3 | wire);
        }

        Writer bytes(int field, byte[] b) {
            tag(field, 2).varint(b.length);
            out.writeBytes(b);
            return this;
        }

        Writer string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    @Test
    void varintsOfAllSizes() {
        long[] values = {0, 1, 127, 128, 300, 1L << 35, Long.MAX_VALUE, -1};
        Writer w = new Writer();
        for (long v : values) {
            w.varint(v);
        }
        ProtoReader r = new ProtoReader(w.toBytes());
        for (long v : values) {
            assertThat(r.readVarint()).isEqualTo(v);
        }
        assertThat(r.hasMore()).isFalse();
    }

    @Test
    void tensorWithRawDataPackedAndUnpackedDims() {
        ByteBuffer raw = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            raw.putFloat(i * 0.5f);
        }
        // dims written once unpacked (two tags) ...
        Writer t = new Writer();
        t.tag(1, 0).varint(2).tag(1, 0).varint(3).tag(2, 0).varint(OnnxTensor.FLOAT).string(8, "w").bytes(9, raw.array());
        t.tag(99, 5).out.writeBytes(new byte[4]); // an unknown fixed32 field is skipped
        OnnxTensor tensor = OnnxTensor.decode(new ProtoReader(t.toBytes()));
        assertThat(tensor.name()).isEqualTo("w");
        assertThat(tensor.dims()).containsExactly(2, 3);
        assertThat(tensor.floats()).containsExactly(0f, 0.5f, 1f, 1.5f, 2f, 2.5f);

        // ... and packed (one length-delimited run), with int64_data instead of raw bytes
        Writer packedDims = new Writer().varint(2);
        Writer data = new Writer().varint(7).varint(-3L);
        Writer p = new Writer();
        p.bytes(1, packedDims.toBytes()).tag(2, 0).varint(OnnxTensor.INT64).bytes(7, data.toBytes());
        assertThat(OnnxTensor.decode(new ProtoReader(p.toBytes())).longs()).containsExactly(7, -3);
    }

    @Test
    void truncatedInputIsReported() {
        byte[] bytes = new Writer().string(8, "name").toBytes();
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 2);
        assertThatThrownBy(() -> OnnxTensor.decode(new ProtoReader(cut))).isInstanceOf(OnnxException.class)
                .hasMessageContaining("exceeds");
    }

    @Test
    void graphLinksProducersAndConsumers() {
        byte[] node = new Writer().string(1, "x").string(1, "w").string(2, "y").string(3, "mm").string(4, "MatMul").toBytes();
        byte[] valueInfo = new Writer().string(1, "x").toBytes();
        byte[] out = new Writer().string(1, "y").toBytes();
        byte[] graph = new Writer().bytes(1, node).string(2, "g").bytes(11, valueInfo).bytes(12, out).toBytes();
        byte[] opset = new Writer().string(1, "").tag(2, 0).varint(17).toBytes();
        byte[] model = new Writer().tag(1, 0).varint(8).string(2, "test").bytes(7, graph).bytes(8, opset).toBytes();
        OnnxModel m = OnnxModel.parse(model);
        assertThat(m.irVersion()).isEqualTo(8);
        assertThat(m.opsetVersion()).isEqualTo(17);
        assertThat(m.graph().inputs()).containsExactly("x");
        assertThat(m.graph().producer("y").orElseThrow().opType()).isEqualTo("MatMul");
        assertThat(m.graph().consumers("w")).extracting(OnnxNode::name).containsExactly("mm");
    }
}
