package io.echowall.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code bench reflect}: the minimal echo (and fan-out) server against which the generator's own ceiling is measured. */
@Command(name = "reflect", sortOptions = false, usageHelpAutoWidth = true,
        header = "A minimal echo server, to measure the generator's own ceiling.",
        description = "Serves a deliberately minimal WebSocket echo on every path: frames are unmasked and sent "
                + "straight back with no validation at all; at /fanout it keeps the fan-out contract as cheaply (see "
                + "bench fanout). It exists to measure the generator's own ceiling "
                + "(see docs/reference/bench.md), never to judge a server. Stops by itself after --duration.")
final class ReflectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "0", paramLabel = "PORT", order = 1,
            description = "Port to listen on (default: ${DEFAULT-VALUE}, any free port; the chosen one is printed).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS", order = 2,
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", order = 3,
            description = "Event loop threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--transport", defaultValue = "auto", paramLabel = "auto|epoll|nio", order = 4,
            description = "Netty transport (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--duration", defaultValue = "10m", paramLabel = "TIME", order = 5, converter = Converters.TimeSpan.class,
            description = "Serve this long, then stop (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--fault", defaultValue = "none", paramLabel = "none|drop|reorder|duplicate", order = 6,
            converter = FaultConverter.class,
            description = "Break the fan-out on purpose: drop, reorder or duplicate message " + Reflector.FAULTY_MESSAGE
                    + " of every publisher, to show that bench fanout catches it (default: ${DEFAULT-VALUE}).")
    Reflector.Fault fault;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 99, description = "Show this help.")
    boolean help;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (threads < 1) {
                throw new BenchException(BenchException.SETUP, "--threads must be at least 1: " + threads);
            }
            ClientSettings.requirePositive(duration, "--duration");
            try (Reflector reflector = Reflector.start(new InetSocketAddress(host, port), Transport.choose(transport), threads, fault)) {
                out.printf("reflecting on ws://%s:%d/ (any path), fan-out at ws://%1$s:%2$d%s%s, for %s, pid %d%n", host,
                        reflector.port(), Reflector.FANOUT_PATH,
                        fault == Reflector.Fault.NONE ? "" : " (broken on purpose: " + fault.name().toLowerCase(Locale.ROOT) + ")",
                        Table.seconds(duration.toNanos() / 1e9), ProcessHandle.current().pid());
                out.flush();
                RunWatch.sleepNanos(duration.toNanos());
            }
            return 0;
        } catch (BenchException e) {
            err.println("bench reflect: " + e.getMessage());
            err.flush();
            return e.exitCode();
        }
    }

    /** {@code --fault}: a {@link Reflector.Fault} by its lowercase name. */
    static final class FaultConverter implements CommandLine.ITypeConverter<Reflector.Fault> {
        @Override
        public Reflector.Fault convert(String value) {
            for (Reflector.Fault fault : Reflector.Fault.values()) {
                if (fault.name().equalsIgnoreCase(value)) {
                    return fault;
                }
            }
            throw new CommandLine.TypeConversionException("none, drop, reorder or duplicate: " + value);
        }
    }
}
