package io.echowall.bench;

import picocli.CommandLine.Option;

import java.time.Duration;

/** The timing options of the echo and rate modes. */
final class TimingOptions {
    @Option(names = "--duration", defaultValue = "10s", paramLabel = "TIME", order = 30, converter = Converters.TimeSpan.class,
            description = "How long to measure, after the warmup (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "2s", paramLabel = "TIME", order = 31, converter = Converters.TimeSpan.class,
            description = "Load before measuring, so the JIT and the pools settle; not counted (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--drain-timeout", defaultValue = "5s", paramLabel = "TIME", order = 32, converter = Converters.TimeSpan.class,
            description = "After sending stops, how long to wait for the echoes still in flight; "
                    + "those that do not arrive count as lost (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    Timing timing() {
        return new Timing(warmup, duration, drainTimeout);
    }
}
