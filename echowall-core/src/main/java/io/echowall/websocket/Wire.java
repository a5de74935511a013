package io.echowall.websocket;

import io.echowall.CloseStatus;

import java.time.Duration;

/**
 * What the {@link Protocol} asks of the connection under it: the control frames it writes, the TCP
 * connection's fate, reading, and timers. Implemented over Netty in {@code io.echowall.internal}, and
 * by a recorder in tests. Every method is called on the connection's event loop.
 */
public interface Wire {

    /** The protocol's timers; arming one that is armed re-arms it. */
    enum Timer {
        /** Keepalive: time to check whether the peer was heard, and ping it or give up on it. */
        KEEPALIVE,
        /** The handler had its time to take what it had received; the pending close goes out. */
        DRAIN,
        /** The close handshake had its time; the TCP connection is cut. */
        CLOSE,
        /** The peer's rate limit allows it to send again: reading resumes. */
        RATE_LIMIT
    }

    /** Writes a pong carrying {@code payload}. */
    void writePong(byte[] payload);

    /** Writes an empty ping. */
    void writePing();

    /**
     * Writes a close frame carrying {@code status} (an empty one for 1005), after every data message
     * queued before it; nothing is written after it.
     */
    void writeClose(CloseStatus status);

    /** Closes the output once everything queued is written (FIN); reading goes on, to drop, until the peer closes. */
    void shutdownOutput();

    /** Cuts the TCP connection now. */
    void abort();

    /** Starts or stops reading from the peer. */
    void reading(boolean on);

    /** Fires {@code timer} (through {@link Protocol#timerFired}) after {@code delay}. */
    void schedule(Timer timer, Duration delay);

    /** Disarms {@code timer}. */
    void cancel(Timer timer);
}
