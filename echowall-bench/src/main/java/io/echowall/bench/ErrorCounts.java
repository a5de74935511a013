package io.echowall.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/** The errors of one run, by kind, with the first one described; thread-safe, since errors are rare and come from any thread. */
final class ErrorCounts {

    /** What went wrong; each name is also the key in the RESULT line. */
    enum Kind {
        /** An echo whose bytes, length or type differ from the message sent. */
        CORRUPT("corrupt"),
        /** A message that never came back (dropped, or still queued when the drain time ran out). */
        LOST("lost"),
        /** A message that came back twice. */
        DUPLICATED("duplicated"),
        /** A message that came back after a later one. */
        REORDERED("reordered"),
        /** A frame that breaks RFC 6455, or an unsolicited data message. */
        PROTOCOL("protocol"),
        /** The server closed (or dropped) a connection the client had not asked to close. */
        CLOSED_BY_SERVER("closed_by_server"),
        /** A TCP connect or an opening handshake that failed or timed out. */
        CONNECT_FAILED("connect_failed"),
        /** A closing handshake the server did not complete in time. */
        CLOSE_INCOMPLETE("close_incomplete");

        final String key;

        Kind(String key) {
            this.key = key;
        }
    }

    private final AtomicLongArray counts = new AtomicLongArray(Kind.values().length);
    private final AtomicReference<String> first = new AtomicReference<>();

    /** Counts {@code n} errors of {@code kind}; {@code detail} describes them if they are the run's first. */
    void add(Kind kind, long n, String detail) {
        if (n <= 0) {
            return;
        }
        counts.addAndGet(kind.ordinal(), n);
        first.compareAndSet(null, kind.key + ": " + detail);
    }

    long count(Kind kind) {
        return counts.get(kind.ordinal());
    }

    long total() {
        long total = 0;
        for (Kind kind : Kind.values()) {
            total += count(kind);
        }
        return total;
    }

    /** The first error of the run in words, or null if there was none. */
    String first() {
        return first.get();
    }

    Map<Kind, Long> byKind() {
        Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            byKind.put(kind, count(kind));
        }
        return byKind;
    }
}
