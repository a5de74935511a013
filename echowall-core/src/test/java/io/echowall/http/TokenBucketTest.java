package io.echowall.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token bucket, on a clock moved by hand. */
class TokenBucketTest {

    private long now;
    private final TokenBucket bucket = new TokenBucket(10, 5, () -> now); // 10 a second, up to 5

    @Test
    void aFullBucketGivesItsBurstThenRefusesUntilItRefills() {
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryTake(1)).isTrue();
        }
        assertThat(bucket.tryTake(1)).isFalse();
        assertThat(bucket.secondsUntil(1)).isEqualTo(1);
        now += Duration.ofMillis(100).toNanos(); // one token
        assertThat(bucket.tryTake(1)).isTrue();
        assertThat(bucket.tryTake(1)).isFalse();
    }

    @Test
    void itNeverHoldsMoreThanItsBurst() {
        now += Duration.ofHours(1).toNanos();
        assertThat(bucket.tryTake(5)).isTrue();
        assertThat(bucket.tryTake(1)).isFalse();
    }

    @Test
    void takingIntoDebtSaysHowLongTheDebtLasts() {
        assertThat(bucket.take(5)).isZero();
        assertThat(bucket.take(3)).isEqualTo(Duration.ofMillis(300).toNanos());
        assertThat(bucket.tryTake(1)).isFalse();
        now += Duration.ofMillis(300).toNanos();
        assertThat(bucket.take(0)).isZero();
        assertThat(bucket.secondsUntil(5)).isEqualTo(1);
        assertThat(bucket.secondsUntil(25)).as("25 tokens never fit a bucket of 5, but 3 s is when they would").isEqualTo(3);
    }

    @Test
    void ratesAndBurstsArePositive() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, () -> 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, () -> 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
