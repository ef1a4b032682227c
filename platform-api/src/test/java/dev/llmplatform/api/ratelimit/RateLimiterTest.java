package dev.llmplatform.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.api.security.KeyPrincipal;
import dev.llmplatform.api.security.Role;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    /** A clock the test moves by hand. */
    static final class ManualTime implements TimeMeter {
        long nanos = 1_000_000_000L;

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        void advance(Duration d) {
            nanos += d.toNanos();
        }
    }

    static KeyPrincipal key(String id, Integer rpm, Integer tpm) {
        return new KeyPrincipal(id, id, Role.USER, Set.of(), Set.of(), null, rpm, tpm);
    }

    final ManualTime time = new ManualTime();
    final RateLimiter limiter = new RateLimiter(new RateLimitProperties(0, 0, Duration.ofMinutes(1)), time);

    @Test
    void requestsRunOutAndRefillContinuously() {
        KeyPrincipal k = key("a", 60, null);
        for (int i = 0; i < 60; i++) {
            RateLimiter.Admission a = limiter.admit(k);
            assertThat(a.rejected()).isFalse();
            assertThat(a.requests().remaining()).isEqualTo(59 - i);
        }
        RateLimiter.Admission refused = limiter.admit(k);
        assertThat(refused.rejected()).isTrue();
        assertThat(refused.requests().retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(refused.requests().reset()).isEqualTo(Duration.ofMinutes(1));
        assertThat(refused.tokens()).isNull();
        time.advance(Duration.ofMillis(999));
        assertThat(limiter.admit(k).rejected()).isTrue();
        time.advance(Duration.ofMillis(1));
        assertThat(limiter.admit(k).rejected()).isFalse();
        time.advance(Duration.ofSeconds(30));
        assertThat(limiter.admit(k).requests().remaining()).isEqualTo(29);
    }

    @Test
    void tokensAreChargedAfterAndCheckedBefore() {
        KeyPrincipal k = key("b", null, 1000);
        assertThat(limiter.admit(k).tokens().remaining()).isEqualTo(1000);
        limiter.charge(k, 1600);
        RateLimiter.Admission refused = limiter.admit(k);
        assertThat(refused.rejected()).isTrue();
        assertThat(refused.tokens().remaining()).isEqualTo(-600);
        // 601 tokens at 1000 per minute: the debt and one more token take 36.06 s.
        assertThat(refused.tokens().retryAfter()).isBetween(Duration.ofMillis(36_000), Duration.ofMillis(36_100));
        time.advance(Duration.ofSeconds(36));
        assertThat(limiter.admit(k).rejected()).isTrue();
        time.advance(Duration.ofMillis(100));
        assertThat(limiter.admit(k).rejected()).isFalse();
    }

    @Test
    void keysHaveSeparateBucketsAndDefaultsApplyWithoutOwnLimits() {
        RateLimiter withDefaults = new RateLimiter(new RateLimitProperties(2, 0, Duration.ofMinutes(1)), time);
        KeyPrincipal a = key("a", null, null);
        KeyPrincipal b = key("b", null, null);
        assertThat(withDefaults.admit(a).rejected()).isFalse();
        assertThat(withDefaults.admit(a).rejected()).isFalse();
        assertThat(withDefaults.admit(a).rejected()).isTrue();
        assertThat(withDefaults.admit(b).rejected()).isFalse();
        assertThat(limiter.admit(key("unlimited", null, null)).requests()).isNull();
    }

    @Test
    void resetHeaderFormat() {
        assertThat(RateLimitFilter.formatDuration(Duration.ofMillis(17))).isEqualTo("17ms");
        assertThat(RateLimitFilter.formatDuration(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(RateLimitFilter.formatDuration(Duration.ofMinutes(6))).isEqualTo("6m0s");
        assertThat(RateLimitFilter.formatDuration(Duration.ofSeconds(61))).isEqualTo("1m1s");
    }
}
