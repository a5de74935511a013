package io.echowall.bench;

import java.time.Duration;

/**
 * The timeline of a run in {@link System#nanoTime()} terms: it starts, warms up, measures, and
 * stops sending at {@code sendUntil}. The window {@code [measureFrom, sendUntil)} is what counts:
 * for throughput, what arrives in it; for latency, what arrives in it ({@code echo}) or was due
 * in it ({@code rate}).
 */
record RunClock(long start, long measureFrom, long sendUntil) {

    static RunClock startingNow(Duration warmup, Duration duration) {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        return new RunClock(start, measureFrom, measureFrom + duration.toNanos());
    }

    boolean measuring(long now) {
        return now >= measureFrom && now < sendUntil;
    }

    double measuredSeconds() {
        return (sendUntil - measureFrom) / 1e9;
    }
}
