package io.echowall.websocket;

import io.echowall.ConnectionClosed;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Where a sending user thread waits while the peer is behind: more than the send buffer is queued for
 * it. The event loop never waits here. Its lock is made on first use, since most sessions never wait.
 */
final class SendGate {

    private final Transport transport;
    private final Duration timeout;
    private volatile ReentrantLock lock;
    private volatile Condition roomMade;

    SendGate(Transport transport, Duration timeout) {
        this.transport = transport;
        this.timeout = timeout;
    }

    /**
     * Waits until the transport has room, for at most the send timeout, while {@code open} holds; the
     * caller found none a moment ago.
     *
     * @return false if the time ran out, the peer still behind
     * @throws ConnectionClosed if the thread was interrupted (only a stopping server interrupts)
     */
    boolean awaitRoom(BooleanSupplier open) {
        if (transport.isWritable() || transport.inEventLoop()) {
            return true; // the event loop never waits: the transport refuses what goes too far
        }
        ReentrantLock l = lock();
        long left = timeout.toNanos();
        l.lock();
        try {
            while (!transport.isWritable() && open.getAsBoolean()) {
                if (left <= 0) {
                    return false;
                }
                left = roomMade.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosed(Closes.SHUTTING_DOWN);
        } finally {
            l.unlock();
        }
    }

    /** Wakes waiting senders: room was made, or the connection ended. */
    void signal() {
        ReentrantLock l = lock;
        if (l != null) {
            l.lock();
            try {
                roomMade.signalAll();
            } finally {
                l.unlock();
            }
        }
    }

    private ReentrantLock lock() {
        ReentrantLock l = lock;
        if (l == null) {
            synchronized (this) {
                l = lock;
                if (l == null) {
                    l = new ReentrantLock();
                    roomMade = l.newCondition();
                    lock = l;
                }
            }
        }
        return l;
    }
}
