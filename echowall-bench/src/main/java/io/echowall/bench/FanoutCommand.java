package io.echowall.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;

/** {@code bench fanout}: one room, many subscribers, a few publishers; deliveries per second and latency. */
@Command(name = "fanout", sortOptions = false, usageHelpAutoWidth = true,
        header = "Fan-out: deliveries per second and latency from publishers to many subscribers.",
        description = "Opens --subscribers connections to --url and waits until the server has sent each of them \"ready\" "
                + "(it has subscribed them), then opens --publishers connections to the same URL with role=publisher added "
                + "to its query; the server must deliver every message a publisher sends to every subscriber, in order. "
                + "Publishers send at --rate messages/s in all, or else as fast as the server delivers with --in-flight "
                + "messages each not yet delivered to everyone. Every delivery is checked (publisher, sequence, bytes) and "
                + "timed from its send time. Any error fails the run (exit status 1). See docs/reference/bench.md.")
final class FanoutCommand extends ModeCommand {
    @Option(names = "--subscribers", defaultValue = "1000", paramLabel = "N", order = 10,
            description = "Subscriber connections (default: ${DEFAULT-VALUE}). Each needs a file descriptor.")
    int subscribers;

    @Option(names = "--publishers", defaultValue = "1", paramLabel = "N", order = 11,
            description = "Publisher connections (default: ${DEFAULT-VALUE}).")
    int publishers;

    @Option(names = "--concurrency", defaultValue = "200", paramLabel = "N", order = 12,
            description = "Handshakes in progress at once while opening (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--rate", paramLabel = "MSG/S", order = 13,
            description = "Messages published per second, over all publishers; latency counts from when each was due. "
                    + "Without it, publishers go as fast as the server delivers (--in-flight).")
    Double rate;

    @Option(names = "--in-flight", defaultValue = "16", paramLabel = "N", order = 14,
            description = "Without --rate: messages per publisher not yet delivered to every subscriber (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--protocol", defaultValue = "websocket", paramLabel = "websocket|socketio", order = 15,
            description = "websocket: messages as they are (default); socketio: as Socket.IO events over Engine.IO v4's "
                    + "WebSocket transport (the URL is then ws://HOST:PORT/socket.io/?EIO=4&transport=websocket).")
    String protocol;

    @Option(names = "--ready-timeout", defaultValue = "60s", paramLabel = "TIME", order = 16, converter = Converters.TimeSpan.class,
            description = "How long all subscribers may take to get \"ready\" once connected (default: ${DEFAULT-VALUE}).")
    Duration readyTimeout;

    @Option(names = "--server-pid", paramLabel = "PID", order = 17,
            description = "Process id of the server, to read its resident memory and CPU time from /proc.")
    Long serverPid;

    @Mixin
    PayloadOptions payload;

    @Mixin
    TimingOptions timing;

    @Override
    int execute(PrintWriter out, Progress progress) {
        if (rate != null && !(rate > 0)) {
            throw new BenchException(BenchException.SETUP, "--rate must be above 0 and at most 10000000 messages/s: " + rate);
        }
        int connections = subscribers + publishers;
        int defaultSources = Math.clamp((connections + IdleCommand.CONNECTIONS_PER_SOURCE_ADDRESS - 1L) / IdleCommand.CONNECTIONS_PER_SOURCE_ADDRESS,
                1, SourceAddresses.MAX);
        FanoutSettings settings = new FanoutSettings(connection.settings(defaultSources), FanoutProtocol.choose(protocol),
                subscribers, publishers, concurrency, rate == null ? 0 : rate, inFlight, payload.payload(), timing.timing(),
                readyTimeout, serverPid);
        FanoutResult result = FanoutRun.run(settings, progress);
        result.print(out);
        return result.passed() ? 0 : 1;
    }
}
