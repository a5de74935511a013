package io.echowall.internal;

import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs peers dropped for falling behind: one WARN line at most every ten seconds, with the count since
 * the last one, so that an attack by many non-reading clients cannot flood the log; each drop at DEBUG.
 */
final class SlowPeerLog {

    private static final Logger log = LoggerFactory.getLogger(SlowPeerLog.class);
    private static final long QUIET_NANOS = 10_000_000_000L;
    private static final AtomicLong dropped = new AtomicLong();
    private static final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - QUIET_NANOS);

    private SlowPeerLog() {
    }

    static void dropped(Channel channel) {
        long count = dropped.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= QUIET_NANOS && lastWarning.compareAndSet(last, now)) {
            log.warn("Dropped {} WebSocket peer(s) that stopped reading, to keep buffered data within the "
                    + "server-wide limit (1008); latest {}", count, channel);
            dropped.addAndGet(-count);
        } else {
            log.debug("Dropped WebSocket peer {} that stopped reading (1008)", channel);
        }
    }
}
