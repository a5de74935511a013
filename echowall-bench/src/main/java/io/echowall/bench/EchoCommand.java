package io.echowall.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code bench echo}: throughput and round-trip latency with a fixed number of messages in flight. */
@Command(name = "echo", sortOptions = false, usageHelpAutoWidth = true,
        header = "Throughput and round-trip latency with K messages in flight per connection.",
        description = "Keeps --in-flight messages out on each of --connections connections: every echo is checked "
                + "(bytes, order, duplicates, losses) and replaced by a new message. Reports messages/s and "
                + "round-trip latency. Any error fails the run (exit status 1).")
final class EchoCommand extends ModeCommand {
    @Option(names = "--connections", defaultValue = "100", paramLabel = "N", order = 10,
            description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--in-flight", defaultValue = "10", paramLabel = "K", order = 11,
            description = "Messages in flight per connection (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--server-pid", paramLabel = "PID", order = 12,
            description = "Process id of the server, to read its CPU time from /proc (its own and its child processes').")
    Long serverPid;

    @Mixin
    PayloadOptions payload;

    @Mixin
    TimingOptions timing;

    @Override
    int execute(PrintWriter out, Progress progress) {
        EchoSettings settings = new EchoSettings(connection.settings(0), connections, inFlight, payload.payload(), timing.timing(), serverPid);
        EchoResult result = EchoRun.run(settings, progress);
        result.print(out);
        return result.passed() ? 0 : 1;
    }
}
