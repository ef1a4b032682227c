package dev.llmplatform.api.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {
    @Test
    void interpolatesBetweenRanksAsNumpyDoes() {
        // 1..100 ms in shuffled order; numpy.percentile(range(1, 101), [50, 99]) = 50.5, 99.01.
        long[] nanos = LongStream.rangeClosed(1, 100).map(i -> ((i * 37) % 100 + 1) * 1_000_000L).toArray();
        LatencyStats stats = LatencyStats.ofNanos(nanos);
        assertThat(stats.count()).isEqualTo(100);
        assertThat(stats.percentileMillis(50)).isCloseTo(50.5, within(1e-9));
        assertThat(stats.percentileMillis(99)).isCloseTo(99.01, within(1e-9));
        assertThat(stats.percentileMillis(0)).isEqualTo(1.0);
        assertThat(stats.percentileMillis(100)).isEqualTo(100.0);
        assertThat(stats.meanMillis()).isCloseTo(50.5, within(1e-9));
    }

    @Test
    void oneSampleIsEveryPercentileAndTheInputIsNotReordered() {
        long[] nanos = {3_000_000L, 1_000_000L};
        LatencyStats.ofNanos(nanos);
        assertThat(nanos).containsExactly(3_000_000L, 1_000_000L);
        LatencyStats one = LatencyStats.ofNanos(2_500_000L);
        assertThat(one.percentileMillis(50)).isEqualTo(2.5);
        assertThat(one.percentileMillis(99)).isEqualTo(2.5);
    }

    @Test
    void noSamplesHaveNoPercentiles() {
        LatencyStats empty = LatencyStats.ofNanos();
        assertThat(empty.isEmpty()).isTrue();
        assertThatThrownBy(() -> empty.percentileMillis(50)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LatencyStats.ofNanos(1).percentileMillis(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
