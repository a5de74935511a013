package io.echowall;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a room treats a member that cannot keep up: one whose connection still has half its send
 * buffer waiting for the network when a room message arrives for it.
 *
 * @param slowConsumer    what happens to such a member
 * @param maxQueuedBytes  room messages that may wait for a member that is behind, with
 *                        {@link SlowConsumer#DROP_OLDEST} and {@link SlowConsumer#KEEP_LATEST}
 * @param conflationKey   with {@link SlowConsumer#KEEP_LATEST}: the key of a message; a waiting message
 *                        with the same key is replaced. Null keys are never replaced
 * @param historySize     how many of the room's latest messages are kept, so that a client of the
 *                        {@code echowall.v1} protocol that reconnects gets what it missed; 0 keeps none
 * @param historyAge      how long a message is kept in the history at most
 */
public record RoomOptions(SlowConsumer slowConsumer, int maxQueuedBytes, Function<Message, String> conflationKey,
                          int historySize, Duration historyAge) {

    /** What a room does with a member that cannot keep up. */
    public enum SlowConsumer {
        /**
         * Close it with 1008 and one WARN log line: a member that misses messages of this room is of no
         * use. The default, for chats and anything where every message matters.
         */
        CLOSE,
        /** Keep it, and let the oldest waiting room messages go when more than the limit wait. */
        DROP_OLDEST,
        /**
         * Keep it, and keep only the latest waiting message per key: for tickers and dashboards, where
         * a newer value makes the older one useless.
         */
        KEEP_LATEST
    }

    /**
     * 100 messages and 5 minutes: enough for a page reload, a tunnel or a deploy's restart, small enough
     * that ten thousand busy rooms hold a million messages at most.
     */
    private static final RoomOptions DEFAULTS = new RoomOptions(SlowConsumer.CLOSE, 256 << 10, m -> null,
            100, Duration.ofMinutes(5));

    /** Checks the settings. */
    public RoomOptions {
        Objects.requireNonNull(slowConsumer, "slowConsumer");
        Objects.requireNonNull(conflationKey, "conflationKey");
        if (maxQueuedBytes < 1024) {
            throw new IllegalArgumentException("maxQueuedBytes must be at least 1024, was " + maxQueuedBytes);
        }
        Objects.requireNonNull(historyAge, "historyAge");
        if (historySize < 0 || historySize > 1_000_000) {
            throw new IllegalArgumentException("historySize must be between 0 and 1,000,000, was " + historySize);
        }
        if (historyAge.isNegative() || historyAge.isZero()) {
            throw new IllegalArgumentException("historyAge must be positive, was " + historyAge);
        }
    }

    /**
     * Close slow members; 256 KiB of waiting messages where a policy keeps them; a history of the last
     * 100 messages, 5 minutes at most.
     */
    public static RoomOptions defaults() {
        return DEFAULTS;
    }

    /** These options with members that cannot keep up treated by {@code policy}. */
    public RoomOptions withSlowConsumer(SlowConsumer policy) {
        return new RoomOptions(policy, maxQueuedBytes, conflationKey, historySize, historyAge);
    }

    /** These options with at most {@code bytes} of room messages waiting for a member that is behind. */
    public RoomOptions withMaxQueuedBytes(int bytes) {
        return new RoomOptions(slowConsumer, bytes, conflationKey, historySize, historyAge);
    }

    /** These options keeping only the latest waiting message per {@code key}, for members behind. */
    public RoomOptions withLatestPerKey(Function<Message, String> key) {
        return new RoomOptions(SlowConsumer.KEEP_LATEST, maxQueuedBytes, key, historySize, historyAge);
    }

    /** These options keeping the room's last {@code size} messages, none older than {@code maxAge}; 0 keeps none. */
    public RoomOptions withHistory(int size, Duration maxAge) {
        return new RoomOptions(slowConsumer, maxQueuedBytes, conflationKey, size, maxAge);
    }
}
