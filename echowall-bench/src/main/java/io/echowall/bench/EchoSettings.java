package io.echowall.bench;

/** An echo run: {@code connections} connections, each keeping {@code inFlight} messages out at all times. */
record EchoSettings(ClientSettings client, int connections, int inFlight, Payload payload, Timing timing) {

    EchoSettings {
        LoadRuns.requireConnections(connections);
        if (inFlight < 1 || inFlight > 1_000_000) {
            throw new BenchException(BenchException.SETUP, "--in-flight must be between 1 and 1000000: " + inFlight);
        }
    }
}
