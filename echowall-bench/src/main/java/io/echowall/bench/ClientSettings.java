package io.echowall.bench;

import java.time.Duration;

/**
 * How every run connects: where to, on which transport, with how many event loops, from which
 * source addresses, and how long a connect (TCP plus handshake) and a close may take.
 */
record ClientSettings(Target target, Transport transport, int threads, SourceAddresses sources,
                      Duration connectTimeout, Duration closeTimeout) {

    ClientSettings {
        if (threads < 1) {
            throw new BenchException(BenchException.SETUP, "--threads must be at least 1: " + threads);
        }
        requirePositive(connectTimeout, "--connect-timeout");
        requirePositive(closeTimeout, "--close-timeout");
    }

    static void requirePositive(Duration duration, String option) {
        if (duration.isNegative() || duration.isZero()) {
            throw new BenchException(BenchException.SETUP, option + " must be positive: " + duration);
        }
    }

    static void requireNotNegative(Duration duration, String option) {
        if (duration.isNegative()) {
            throw new BenchException(BenchException.SETUP, option + " must not be negative: " + duration);
        }
    }
}
