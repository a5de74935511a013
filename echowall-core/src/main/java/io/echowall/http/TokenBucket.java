package io.echowall.http;

import java.util.function.LongSupplier;

/**
 * A token bucket without I/O: it fills at {@code ratePerSecond} up to {@code burst} tokens. A rate
 * limit either refuses what finds the bucket short ({@link #tryTake}), or takes it anyway, into debt,
 * and says how long the taker must wait until the debt is paid ({@link #take}). Thread-safe.
 */
public final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long ratePerSecond;
    private final long burst;
    private final LongSupplier nanoTime;
    /** Tokens, in units of 1/{@code NANOS_PER_SECOND} token so that refills stay exact; negative in debt. */
    private long level;
    private long filledAt;

    /** A full bucket, reading time from {@code nanoTime} ({@code System::nanoTime} outside tests). */
    public TokenBucket(long ratePerSecond, long burst, LongSupplier nanoTime) {
        if (ratePerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.filledAt = nanoTime.getAsLong();
        this.level = scaled(burst);
    }

    /** Takes {@code tokens} if the bucket holds them; otherwise takes nothing and returns false. */
    public synchronized boolean tryTake(long tokens) {
        refill();
        if (level < scaled(tokens)) {
            return false;
        }
        level -= scaled(tokens);
        return true;
    }

    /**
     * Takes {@code tokens}, going into debt if it must; returns 0 when the bucket is not in debt
     * afterwards, else the nanoseconds until it is out of debt again.
     */
    public synchronized long take(long tokens) {
        refill();
        level -= scaled(Math.min(tokens, Long.MAX_VALUE / NANOS_PER_SECOND));
        return level >= 0 ? 0 : Math.ceilDiv(-level, ratePerSecond);
    }

    /** Seconds until {@code tokens} are in the bucket, at least 1: what a {@code Retry-After} says. */
    public synchronized long secondsUntil(long tokens) {
        refill();
        long missing = scaled(tokens) - level;
        return Math.max(1, Math.ceilDiv(Math.max(0, missing), ratePerSecond * NANOS_PER_SECOND));
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        long elapsed = now - filledAt;
        filledAt = now;
        // elapsed ns × tokens/s = tokens × 1e9 units: the scale of level. Saturate rather than overflow.
        long added = elapsed > Long.MAX_VALUE / ratePerSecond ? Long.MAX_VALUE : elapsed * ratePerSecond;
        level = Math.min(scaled(burst), level > Long.MAX_VALUE - added ? Long.MAX_VALUE : level + added);
    }

    private static long scaled(long tokens) {
        return Math.multiplyExact(tokens, NANOS_PER_SECOND);
    }
}
