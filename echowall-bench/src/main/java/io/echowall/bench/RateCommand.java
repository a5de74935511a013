package io.echowall.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code bench rate}: latency at a fixed send rate, measured from each message's intended send time. */
@Command(name = "rate", sortOptions = false, usageHelpAutoWidth = true,
        header = "Latency at a fixed send rate, corrected for coordinated omission.",
        description = "Sends --rate messages per second in all, evenly spread over --connections connections, "
                + "whatever the echoes do, and checks every echo. Latency counts from when each message was "
                + "due, so a server that stalls cannot hide it (no coordinated omission). Reports the rate "
                + "achieved. Any error fails the run (exit status 1).")
final class RateCommand extends ModeCommand {
    @Option(names = "--rate", required = true, paramLabel = "MSG/S", order = 10,
            description = "Messages per second, over all connections.")
    double rate;

    @Option(names = "--connections", defaultValue = "100", paramLabel = "N", order = 11,
            description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--server-pid", paramLabel = "PID", order = 12,
            description = "Process id of the server, to read its CPU time from /proc (its own and its child processes').")
    Long serverPid;

    @Mixin
    PayloadOptions payload;

    @Mixin
    TimingOptions timing;

    @Override
    int execute(PrintWriter out, Progress progress) {
        RateSettings settings = new RateSettings(connection.settings(0), connections, rate, payload.payload(), timing.timing(), serverPid);
        RateResult result = RateRun.run(settings, progress);
        result.print(out);
        return result.passed() ? 0 : 1;
    }
}
