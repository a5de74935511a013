package io.echowall.internal;

import io.netty.util.internal.PlatformDependent;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What the server's WebSocket connections that fall behind hold, server-wide. A peer is behind while
 * more than its send buffer waits for it; each such peer counts for a send buffer, and event-loop
 * senders that queue past a full buffer count for what they queue. When the total passes the limit,
 * the peers that fell behind first are dropped, oldest first, until it fits again: no number of peers
 * that stop reading can exhaust the server's memory, and peers that keep up never pay for them.
 */
final class SendBacklog {

    private final long limit;
    private final long perPeer;
    private final LinkedHashSet<WebSocketConnection> behind = new LinkedHashSet<>();
    private long overflow;

    /** A backlog of at most {@code limit} bytes, each peer behind counting for {@code perPeer}. */
    SendBacklog(long limit, long perPeer) {
        this.limit = limit;
        this.perPeer = perPeer;
    }

    /**
     * The default limit: a quarter of what the JVM lets buffers take (the heap, or the direct memory
     * limit if smaller), since queued messages live in either.
     */
    static SendBacklog forThisJvm(long perPeer) {
        long memory = Math.min(Runtime.getRuntime().maxMemory(), PlatformDependent.maxDirectMemory());
        return new SendBacklog(Math.max(16L << 20, memory / 4), perPeer);
    }

    /**
     * {@code peer} fell behind.
     *
     * @return the peers to drop now, oldest first, for the backlog to fit its limit; never {@code peer}
     *         unless it is the only one
     */
    synchronized List<WebSocketConnection> fellBehind(WebSocketConnection peer) {
        behind.add(peer);
        List<WebSocketConnection> drop = new ArrayList<>(0);
        Iterator<WebSocketConnection> oldest = behind.iterator();
        while (total() > limit && oldest.hasNext()) {
            WebSocketConnection victim = oldest.next();
            if (victim != peer || behind.size() == 1) {
                oldest.remove();
                drop.add(victim);
            }
        }
        return drop;
    }

    /** {@code peer} caught up, or is gone. */
    synchronized void caughtUp(WebSocketConnection peer) {
        behind.remove(peer);
    }

    /** Takes {@code bytes} for an event-loop sender queueing past a full buffer; false, taking nothing, if they do not fit. */
    synchronized boolean tryReserveOverflow(long bytes) {
        if (total() + bytes > limit) {
            return false;
        }
        overflow += bytes;
        return true;
    }

    /** Gives back overflow taken earlier. */
    synchronized void releaseOverflow(long bytes) {
        overflow -= bytes;
    }

    private long total() {
        return behind.size() * perPeer + overflow;
    }
}
