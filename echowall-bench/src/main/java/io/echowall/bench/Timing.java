package io.echowall.bench;

import java.time.Duration;

/** How long a timed run warms up, measures, and then waits for the echoes still in flight. */
record Timing(Duration warmup, Duration duration, Duration drainTimeout) {

    Timing {
        ClientSettings.requireNotNegative(warmup, "--warmup");
        ClientSettings.requirePositive(duration, "--duration");
        ClientSettings.requirePositive(drainTimeout, "--drain-timeout");
    }

    double warmupSeconds() {
        return warmup.toNanos() / 1e9;
    }

    double durationSeconds() {
        return duration.toNanos() / 1e9;
    }
}
