package io.echowall.bench;

import java.time.Duration;

/** A connect run: open, handshake and close connections, {@code concurrency} at a time, for the duration. */
record ConnectSettings(ClientSettings client, int concurrency, Duration warmup, Duration duration) {

    ConnectSettings {
        if (concurrency < 1 || concurrency > 100_000) {
            throw new BenchException(BenchException.SETUP, "--concurrency must be between 1 and 100000: " + concurrency);
        }
        ClientSettings.requireNotNegative(warmup, "--warmup");
        ClientSettings.requirePositive(duration, "--duration");
    }
}
