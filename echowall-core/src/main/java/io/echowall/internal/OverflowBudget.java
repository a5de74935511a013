package io.echowall.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide allowance for bytes queued past connections' send buffers. Blocking senders wait
 * for room instead, but event-loop senders cannot wait: each connection may overflow its buffer a
 * little, and this bounds what all of them together may hold, so that many peers that stop reading at
 * once cannot exhaust the server's memory.
 */
final class OverflowBudget {

    private final long limit;
    private final AtomicLong reserved = new AtomicLong();

    /** A budget of {@code limit} bytes. */
    OverflowBudget(long limit) {
        this.limit = limit;
    }

    /** The default: a quarter of the memory that buffers may take (Netty's direct memory limit). */
    static OverflowBudget forThisJvm() {
        return new OverflowBudget(Math.max(16L << 20, io.netty.util.internal.PlatformDependent.maxDirectMemory() / 4));
    }

    /** Takes {@code bytes} from the budget; false, taking nothing, if they do not fit. */
    boolean tryReserve(long bytes) {
        long now;
        do {
            now = reserved.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!reserved.compareAndSet(now, now + bytes));
        return true;
    }

    /** Gives back {@code bytes} taken earlier. */
    void release(long bytes) {
        if (bytes != 0) {
            reserved.addAndGet(-bytes);
        }
    }
}
