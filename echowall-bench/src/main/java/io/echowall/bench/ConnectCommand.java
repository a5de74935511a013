package io.echowall.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;

/** {@code bench connect}: how fast the server accepts, upgrades and closes connections. */
@Command(name = "connect", sortOptions = false, usageHelpAutoWidth = true,
        header = "Opening and closing handshakes per second.",
        description = "Opens connections as fast as it can, --concurrency at a time: each one a TCP connect, the "
                + "opening handshake and a clean closing handshake. Reports handshakes per second and their "
                + "latency. Any error fails the run (exit status 1).")
final class ConnectCommand extends ModeCommand {
    @Option(names = "--concurrency", defaultValue = "32", paramLabel = "N", order = 10,
            description = "Connection attempts in progress at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--duration", defaultValue = "10s", paramLabel = "TIME", order = 30, converter = Converters.TimeSpan.class,
            description = "How long to measure, after the warmup (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "2s", paramLabel = "TIME", order = 31, converter = Converters.TimeSpan.class,
            description = "Connections before measuring; not counted (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Override
    int execute(PrintWriter out, Progress progress) {
        ConnectSettings settings = new ConnectSettings(connection.settings(0), concurrency, warmup, duration);
        ConnectResult result = ConnectRun.run(settings, progress);
        result.print(out);
        return result.passed() ? 0 : 1;
    }
}
