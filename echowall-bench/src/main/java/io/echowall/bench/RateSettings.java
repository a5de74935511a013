package io.echowall.bench;

/** A rate run: {@code rate} messages per second in all, spread evenly over {@code connections}. */
record RateSettings(ClientSettings client, int connections, double rate, Payload payload, Timing timing) {

    RateSettings {
        LoadRuns.requireConnections(connections);
        if (!(rate > 0) || rate > 1e8) {
            throw new BenchException(BenchException.SETUP, "--rate must be above 0 and at most 100000000 messages/s: " + rate);
        }
    }

    /** Messages due in warmup plus duration: the run sends exactly these. */
    long planned() {
        return (long) Math.floor(rate * (timing.warmupSeconds() + timing.durationSeconds()));
    }
}
