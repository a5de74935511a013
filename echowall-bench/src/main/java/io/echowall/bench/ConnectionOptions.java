package io.echowall.bench;

import picocli.CommandLine.Option;

import java.time.Duration;

/** The options every client mode shares: where to connect, on what, and how long connecting and closing may take. */
final class ConnectionOptions {
    @Option(names = "--url", required = true, paramLabel = "URL", order = 1,
            description = "WebSocket endpoint to load, e.g. ws://127.0.0.1:5000/foobar/ (ws:// only).")
    String url;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", order = 90,
            description = "Event loop threads (default: ${DEFAULT-VALUE}). One thread can be pinned to one core with taskset.")
    int threads;

    @Option(names = "--transport", defaultValue = "auto", paramLabel = "auto|epoll|nio", order = 91,
            description = "Netty transport (default: ${DEFAULT-VALUE}: epoll where it loads, else NIO).")
    String transport;

    @Option(names = "--source-addresses", paramLabel = "N", order = 92,
            description = "Spread connections over N loopback source addresses 127.0.0.2, 127.0.0.3, ... "
                    + "(0: let the kernel choose). Default 0, except idle: one per 5,000 connections.")
    Integer sourceAddresses;

    @Option(names = "--connect-timeout", defaultValue = "5s", paramLabel = "TIME", order = 93, converter = Converters.TimeSpan.class,
            description = "Limit for a TCP connect, and again for the handshake (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--close-timeout", defaultValue = "2s", paramLabel = "TIME", order = 94, converter = Converters.TimeSpan.class,
            description = "How long the server may take to answer a close frame (default: ${DEFAULT-VALUE}).")
    Duration closeTimeout;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true", order = 95,
            description = "Show a progress line on stderr, rewritten every second (default: on).")
    boolean progress;

    /**
     * The settings these options describe; {@code defaultSourceAddresses} applies when the option is
     * absent and the target is on IPv4 loopback (elsewhere the kernel chooses).
     */
    ClientSettings settings(int defaultSourceAddresses) {
        Target target = Target.parse(url);
        byte[] server = target.address().getAddress().getAddress();
        boolean ipv4Loopback = server.length == 4 && server[0] == 127;
        int sources = sourceAddresses != null ? sourceAddresses : ipv4Loopback ? defaultSourceAddresses : 0;
        return new ClientSettings(target, Transport.choose(transport), threads, SourceAddresses.loopback(sources, target),
                connectTimeout, closeTimeout);
    }
}
