package io.echowall.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;

/** {@code bench idle}: many idle connections held open, and what they cost the server in memory. */
@Command(name = "idle", sortOptions = false, usageHelpAutoWidth = true,
        header = "Many idle connections held open, and the server's memory per connection.",
        description = "Opens --connections idle connections (over several loopback source addresses, so ephemeral "
                + "ports last), holds them for --hold, then closes them cleanly. Given --server-pid, reads the "
                + "server's VmRSS from /proc before opening, once all are open and after --settle, and reports "
                + "the memory per connection. Fails (exit status 1) unless every connection is held to the end.")
final class IdleCommand extends ModeCommand {
    /** Connections per source address by default: far under the ~28,000 ephemeral ports each has. */
    static final int CONNECTIONS_PER_SOURCE_ADDRESS = 5_000;

    @Option(names = "--connections", defaultValue = "1000", paramLabel = "N", order = 10,
            description = "Connections to open and hold (default: ${DEFAULT-VALUE}). Each needs a file descriptor.")
    int connections;

    @Option(names = "--concurrency", defaultValue = "200", paramLabel = "N", order = 11,
            description = "Handshakes in progress at once while opening (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--hold", defaultValue = "10s", paramLabel = "TIME", order = 12, converter = Converters.TimeSpan.class,
            description = "How long to hold the connections once all are open (default: ${DEFAULT-VALUE}).")
    Duration hold;

    @Option(names = "--settle", defaultValue = "2s", paramLabel = "TIME", order = 13, converter = Converters.TimeSpan.class,
            description = "Wait this long into the hold before the final memory reading (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--server-pid", paramLabel = "PID", order = 14,
            description = "Process id of the server, to read its resident memory from /proc/PID/status.")
    Long serverPid;

    @Override
    int execute(PrintWriter out, Progress progress) {
        int defaultSources = Math.clamp((connections + CONNECTIONS_PER_SOURCE_ADDRESS - 1) / CONNECTIONS_PER_SOURCE_ADDRESS,
                1, SourceAddresses.MAX);
        IdleSettings settings = new IdleSettings(connection.settings(defaultSources), connections, concurrency, hold, settle, serverPid);
        IdleResult result = IdleRun.run(settings, progress);
        result.print(out);
        return result.passed() ? 0 : 1;
    }
}
