package dev.llmplatform.engine.tensor;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Warm-up runs every kernel family a model can load with (a failure here would fail the model's load). */
class KernelWarmUpTest {

    @ParameterizedTest(name = "{0}, interleaved {1}")
    @CsvSource({"Q4_0, true", "Q4_K, true", "Q6_K, true", "F16, false"}) // Q8_0: EngineLifecycleTest
    void warmsUpTheKernelsOfEachType(GgmlType type, boolean interleaved) {
        assertThatCode(() -> KernelWarmUp.run(type, interleaved)).doesNotThrowAnyException();
    }
}
