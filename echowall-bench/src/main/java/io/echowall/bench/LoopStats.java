package io.echowall.bench;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * The hot counters and the latency histogram of one event loop. Only that loop's thread touches
 * them, so they are plain fields; other threads read them through a task run on the loop.
 */
final class LoopStats {
    /** Latencies above this are recorded as this: a minute is already a failed run. */
    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

    final Histogram latency = newLatencyHistogram();
    long sent;
    /** Distinct messages whose echo arrived and could be identified. */
    long received;
    /** Echoes that named no message sent (corrupt beyond identification). */
    long unidentified;
    /** Echoes (or handshakes) that arrived inside the measurement window: the throughput count. */
    long measured;
    long handshakes;
    long cleanCloses;

    /** An empty histogram of nanoseconds up to a minute, three significant digits. */
    static Histogram newLatencyHistogram() {
        return new Histogram(MAX_LATENCY_NANOS, 3);
    }

    void recordLatency(long nanos) {
        latency.recordValue(Math.min(Math.max(nanos, 0), MAX_LATENCY_NANOS));
    }
}
