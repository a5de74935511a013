package io.echowall.bench;

/**
 * An echo run: {@code connections} connections, each keeping {@code inFlight} messages out at all times.
 * {@code serverPid} (nullable) names the server, to read its CPU time.
 */
record EchoSettings(ClientSettings client, int connections, int inFlight, Payload payload, Timing timing, Long serverPid) {

    EchoSettings {
        LoadRuns.requireConnections(connections);
        LoadRuns.requireServerPid(serverPid);
        if (inFlight < 1 || inFlight > 1_000_000) {
            throw new BenchException(BenchException.SETUP, "--in-flight must be between 1 and 1000000: " + inFlight);
        }
    }
}
