package dev.llmplatform.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.tensor.GgmlType;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file past 2 GiB, written by our writer, maps and reads back at offsets no int can address. */
class GgufLargeFileTest {
    private static final long BIG_ELEMENTS = (2L << 30) / 4 + 1024 * 1024; // 2 GiB + 4 MiB of F32
    private static final int CHUNK = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void mapsAFileLargerThan2GiB() throws Exception {
        Path file = dir.resolve("big.gguf");
        new GgufWriter()
                .put("general.architecture", "test")
                .addTensor("big", GgmlType.F32, new long[] {BIG_ELEMENTS}, out -> {
                    ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
                    for (long written = 0; written < BIG_ELEMENTS; written += CHUNK) {
                        chunk.clear();
                        for (int i = 0; i < CHUNK; i++) {
                            chunk.putFloat((float) ((written + i) % 1_000_003));
                        }
                        chunk.flip();
                        GgufWriter.writeFully(out, chunk);
                    }
                })
                .addF32("after", new long[] {2}, new float[] {123f, 456f})
                .write(file);
        try {
            assertThat(Files.size(file)).isGreaterThan(2L << 30);
            try (GgufFile g = GgufFile.open(file)) {
                GgufTensor big = g.requireTensor("big");
                assertThat(big.byteSize()).isEqualTo(BIG_ELEMENTS * 4);
                var f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
                for (long index : new long[] {0, 12345, (1L << 29) + 7, BIG_ELEMENTS - 1}) {
                    assertThat(big.data().getAtIndex(f32, index)).isEqualTo((float) (index % 1_000_003));
                }
                GgufTensor after = g.requireTensor("after");
                assertThat(g.dataOffset() + after.offset()).isGreaterThan(Integer.MAX_VALUE);
                assertThat(after.data().getAtIndex(f32, 1)).isEqualTo(456f);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
