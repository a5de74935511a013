package io.echowall.cli;

import io.echowall.Echowall;
import io.echowall.Message;
import io.echowall.WebSocket;
import io.echowall.WebSocketListener;
import io.echowall.bench.BenchCommand;
import io.echowall.demo.EchoWall;
import io.echowall.demo.FanoutRoom;
import io.echowall.redis.RedisBroker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The {@code echowall} command line: {@code serve} runs the demos (the echo wall, the chat, the live
 * page); {@code new} creates a project of one's own ({@link NewProject}); {@code bench} (the load
 * generator) and {@code conformance} (the protocol suite) are their modules' own commands, mounted as
 * they are, so each behaves here exactly as it does alone.
 */
@Command(name = "echowall", mixinStandardHelpOptions = true, version = "echowall 0.1.0",
        description = "Echowall: real-time web apps in Java.",
        subcommands = {Main.Serve.class, NewProject.class, BenchCommand.class, io.echowall.conformance.Main.class,
            CommandLine.HelpCommand.class})
public final class Main {

    private Main() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /** Reads a style as written in the docs: {@code blocking}, {@code listener}, {@code event-loop}. */
    static final class StyleConverter implements CommandLine.ITypeConverter<EchoWall.Style> {
        @Override
        public EchoWall.Style convert(String value) {
            try {
                return EchoWall.Style.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(
                        "expected blocking, listener or event-loop, not '" + value + "'");
            }
        }
    }

    /** {@code echowall serve}: runs the demos, and a room endpoint, until Ctrl-C. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Run the demos: echo wall at /, chat at /chat, live page at /live.",
                "The echo wall's WebSocket echo is at /foobar/.",
                "WebSockets to /rooms/{room}?user=NAME join the room and publish to it what they send;",
                "with --redis, the rooms (the chat's too) span every server sharing that Redis."})
    static final class Serve implements Callable<Integer> {

        @Option(names = "--port", defaultValue = "5000", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--host", defaultValue = "127.0.0.1",
                description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--style", defaultValue = "blocking", converter = StyleConverter.class,
                description = "How the echo is written: blocking, listener or event-loop (default: ${DEFAULT-VALUE}).")
        EchoWall.Style style;

        @Option(names = "--deflate", description = "Negotiate permessage-deflate with clients that offer it.")
        boolean deflate;

        @Option(names = "--io-threads", defaultValue = "0",
                description = "Event-loop threads; 0 for one per processor (default: ${DEFAULT-VALUE}).")
        int ioThreads;

        @Option(names = "--fanout", description = "Also serve the fan-out benchmark endpoint at /fanout, in the same style "
                + "(subscribers get \"ready\", then every message a ?role=publisher connection sends).")
        boolean fanout;

        @Option(names = "--dev", description = "Reload templates from the source tree on every request.")
        boolean dev;

        @Option(names = "--tls-cert", paramLabel = "PEM",
                description = "Serve https and wss with this certificate chain (needs --tls-key).")
        Path tlsCertificate;

        @Option(names = "--tls-key", paramLabel = "PEM", description = "The certificate's private key (PKCS#8).")
        Path tlsKey;

        @Option(names = "--redis", paramLabel = "URI",
                description = "Share rooms and presence with the other servers on this Redis (redis://host:port).")
        String redis;

        @Override
        public Integer call() throws InterruptedException {
            Path templates = Path.of("echowall-demo/src/main/resources/templates");
            if (dev && !Files.isDirectory(templates)) {
                System.err.println("--dev needs to run from the repository root (no " + templates + " here)");
                return 2;
            }
            if ((tlsCertificate == null) != (tlsKey == null)) {
                System.err.println("--tls-cert and --tls-key go together");
                return 2;
            }
            RedisBroker broker;
            try {
                broker = redis == null ? null : RedisBroker.connect(redis);
            } catch (RuntimeException e) {
                System.err.println("Cannot reach Redis at " + redis + ": " + e.getMessage());
                return 1;
            }
            Echowall app = EchoWall.create(style, config -> {
                var c = config.withHost(host)
                        .withIoThreads(ioThreads)
                        .withPermessageDeflate(deflate)
                        .withTemplateDirectory(dev ? templates : null)
                        .withBroker(broker);
                return tlsCertificate == null ? c : c.withTls(tlsCertificate, tlsKey);
            });
            app.ws("/rooms/{room}", new RoomMember());
            if (fanout) {
                FanoutRoom.install(app, style);
            }
            try {
                app.start(port); // also registers the hook that stops it gracefully on Ctrl-C or SIGTERM
            } catch (IllegalStateException | IllegalArgumentException cannotStart) {
                System.err.println("echowall: " + cannotStart.getMessage());
                return 1;
            }
            String shown = host.equals("0.0.0.0") ? "127.0.0.1" : host;
            String secure = tlsCertificate == null ? "" : "s";
            System.out.printf("Echo wall running at http%s://%s:%d/ (WebSocket ws%s://%s:%d/foobar/, %s style%s%s); "
                            + "chat at /chat, live page at /live. Ctrl-C to stop.%n", secure, shown, app.port(), secure, shown, app.port(),
                    style.name().toLowerCase().replace('_', '-'), deflate ? ", permessage-deflate on" : "",
                    fanout ? ", fan-out at ws" + secure + "://" + shown + ":" + app.port() + FanoutRoom.PATH : "");
            if (broker != null) {
                System.out.printf("Rooms shared through Redis at %s.%n", redis);
            }
            System.out.flush();
            Thread.currentThread().join(); // until the JVM ends; returning would exit at once
            return 0;
        }
    }

    /** A member of the room in its path, as the user in its query, publishing to it what it sends. */
    static final class RoomMember implements WebSocketListener {
        @Override
        public void onOpen(WebSocket ws) {
            String user = ws.queryParam("user");
            if (user != null && !user.isBlank()) {
                ws.user(user);
            }
            ws.join(ws.pathParam("room"));
        }

        @Override
        public void onMessage(WebSocket ws, Message message) {
            ws.publish(ws.pathParam("room"), message);
        }
    }
}
