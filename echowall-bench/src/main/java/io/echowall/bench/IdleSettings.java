package io.echowall.bench;

import java.time.Duration;

/**
 * An idle run: open {@code connections} connections ({@code concurrency} handshakes at a time),
 * hold them for {@code hold}, and measure the server's memory after {@code settle} if
 * {@code serverPid} (nullable) names it.
 */
record IdleSettings(ClientSettings client, int connections, int concurrency, Duration hold, Duration settle, Long serverPid) {

    IdleSettings {
        LoadRuns.requireConnections(connections);
        if (concurrency < 1 || concurrency > 100_000) {
            throw new BenchException(BenchException.SETUP, "--concurrency must be between 1 and 100000: " + concurrency);
        }
        ClientSettings.requirePositive(hold, "--hold");
        ClientSettings.requireNotNegative(settle, "--settle");
        if (settle.compareTo(hold) > 0) {
            throw new BenchException(BenchException.SETUP, "--settle (" + settle + ") must not be longer than --hold (" + hold + ")");
        }
        LoadRuns.requireServerPid(serverPid);
    }
}
