package io.echowall.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link RedisBroker}: immutable, validated when built, changed through {@code with…} copies.
 *
 * <pre>{@code
 * var broker = RedisBroker.connect("redis://10.0.0.5:6379",
 *         RedisBrokerOptions.defaults().withKeyPrefix("chat:").withLeaseTime(Duration.ofSeconds(5)));
 * }</pre>
 *
 * @param keyPrefix      what every key and channel name starts with. Default {@code echowall:}; give each
 *                       app sharing one Redis its own
 * @param leaseTime      how long a server counts as alive after it last renewed its lease (it renews
 *                       every third of it). When a server dies without warning, its users leave this
 *                       long afterwards, plus the grace period. Default 10 s: long enough to ride out a
 *                       garbage-collection pause or a short network blip, short enough that a dead
 *                       server's users do not linger
 * @param commandTimeout longest a call to Redis may take before it counts as failed; also the longest
 *                       {@code users(room)} waits. Default 2 s: far above a healthy round trip, short
 *                       enough that an unreachable Redis is noticed quickly
 */
public record RedisBrokerOptions(String keyPrefix, Duration leaseTime, Duration commandTimeout) {

    private static final RedisBrokerOptions DEFAULTS =
            new RedisBrokerOptions("echowall:", Duration.ofSeconds(10), Duration.ofSeconds(2));

    /** Validates every setting. */
    public RedisBrokerOptions {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (leaseTime.toMillis() < 300) {
            throw new IllegalArgumentException("leaseTime must be at least 300 ms, was " + leaseTime);
        }
        if (commandTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("commandTimeout must be at least 1 ms, was " + commandTimeout);
        }
    }

    /** The defaults, described above. */
    public static RedisBrokerOptions defaults() {
        return DEFAULTS;
    }

    /** With every key and channel name starting with {@code prefix}. */
    public RedisBrokerOptions withKeyPrefix(String prefix) {
        return new RedisBrokerOptions(prefix, leaseTime, commandTimeout);
    }

    /** With servers' leases lasting {@code lease}. */
    public RedisBrokerOptions withLeaseTime(Duration lease) {
        return new RedisBrokerOptions(keyPrefix, lease, commandTimeout);
    }

    /** With calls to Redis failing after {@code timeout}. */
    public RedisBrokerOptions withCommandTimeout(Duration timeout) {
        return new RedisBrokerOptions(keyPrefix, leaseTime, timeout);
    }
}
