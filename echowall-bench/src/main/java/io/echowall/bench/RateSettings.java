package io.echowall.bench;

/**
 * A rate run: {@code rate} messages per second in all, spread evenly over {@code connections}.
 * {@code serverPid} (nullable) names the server, to read its CPU time.
 */
record RateSettings(ClientSettings client, int connections, double rate, Payload payload, Timing timing, Long serverPid) {

    RateSettings {
        LoadRuns.requireConnections(connections);
        LoadRuns.requireServerPid(serverPid);
        if (!(rate > 0) || rate > 1e8) {
            throw new BenchException(BenchException.SETUP, "--rate must be above 0 and at most 100000000 messages/s: " + rate);
        }
    }

    /** Messages due in warmup plus duration: the run sends exactly these. */
    long planned() {
        return (long) Math.floor(rate * (timing.warmupSeconds() + timing.durationSeconds()));
    }
}
