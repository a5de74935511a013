package io.echowall.websocket;

import io.echowall.http.TokenBucket;

import java.util.function.LongSupplier;

/**
 * A connection's limit on the messages and bytes it may send a second, each with a burst of one
 * second's worth. A message over the limit is still taken: the connection then stops reading until
 * the limit allows it again, so the peer is slowed by TCP and nothing it sent is lost.
 */
public final class RateLimit {

    private final TokenBucket messages;
    private final TokenBucket bytes;

    private RateLimit(TokenBucket messages, TokenBucket bytes) {
        this.messages = messages;
        this.bytes = bytes;
    }

    /** The limit, or null for none (both rates 0); time read from {@code nanoTime}. */
    public static RateLimit of(int messagesPerSecond, int bytesPerSecond, LongSupplier nanoTime) {
        if (messagesPerSecond == 0 && bytesPerSecond == 0) {
            return null;
        }
        return new RateLimit(
                messagesPerSecond == 0 ? null : new TokenBucket(messagesPerSecond, messagesPerSecond, nanoTime),
                bytesPerSecond == 0 ? null : new TokenBucket(bytesPerSecond, bytesPerSecond, nanoTime));
    }

    /** Counts a message of {@code size} bytes; returns the nanoseconds reading must pause, 0 for none. */
    long pauseAfter(int size) {
        long byMessages = messages == null ? 0 : messages.take(1);
        long byBytes = bytes == null ? 0 : bytes.take(size);
        return Math.max(byMessages, byBytes);
    }
}
