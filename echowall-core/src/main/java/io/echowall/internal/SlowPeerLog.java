package io.echowall.internal;

import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs peers dropped or closed for falling behind: one WARN line at most every ten seconds per kind,
 * so that an attack by many non-reading clients cannot flood the log. The first of a kind is warned
 * about at once; those within the next ten seconds go to DEBUG and are counted in the next WARN line
 * (every one is also counted by the {@code echowall.websocket.slow.closes} meter).
 */
final class SlowPeerLog {

    private static final Logger log = LoggerFactory.getLogger(SlowPeerLog.class);
    private static final long QUIET_NANOS = 10_000_000_000L;
    private static final Kind DROPPED = new Kind();
    private static final Kind TOO_SLOW_FOR_ROOM = new Kind();

    /** A count of events, and when the last WARN line about them went out. */
    private static final class Kind {
        final AtomicLong count = new AtomicLong();
        final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - QUIET_NANOS);

        /** Counts one event; returns the count to warn about now, or 0 to say nothing more than DEBUG. */
        long count() {
            long n = count.incrementAndGet();
            long now = System.nanoTime();
            long last = lastWarning.get();
            if (now - last >= QUIET_NANOS && lastWarning.compareAndSet(last, now)) {
                count.addAndGet(-n);
                return n;
            }
            return 0;
        }
    }

    private SlowPeerLog() {
    }

    /** A peer that stopped reading was dropped to keep the server's backlog within bounds. */
    static void dropped(Channel channel) {
        long n = DROPPED.count();
        if (n > 0) {
            log.warn("Dropped {} WebSocket peer(s) that stopped reading since the last such line, to keep buffered "
                    + "data within the server-wide limit (1008); latest {}; any more in the next 10 s are logged at "
                    + "DEBUG and counted in the next such line", n, channel);
        } else {
            log.debug("Dropped WebSocket peer {} that stopped reading (1008)", channel);
        }
    }

    /** A member that could not keep up with {@code room} was closed, by the room's policy. */
    static void tooSlowForRoom(Channel channel, String room) {
        long n = TOO_SLOW_FOR_ROOM.count();
        if (n > 0) {
            log.warn("Closed {} WebSocket member(s) too slow for their room since the last such line (1008); "
                    + "latest {} in room {}; any more in the next 10 s are logged at DEBUG and counted in the next "
                    + "such line", n, channel, room);
        } else {
            log.debug("Closed WebSocket member {}, too slow for room {} (1008)", channel, room);
        }
    }
}
