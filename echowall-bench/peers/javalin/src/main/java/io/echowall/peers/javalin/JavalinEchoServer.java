package io.echowall.peers.javalin;

import io.javalin.Javalin;
import java.nio.ByteBuffer;

/**
 * WebSocket echo server on Javalin 7 (Jetty 12 underneath): Javalin's defaults except the message
 * size limits.
 */
public final class JavalinEchoServer {
    private static final String HOST = "127.0.0.1";
    /** Jetty's default text and binary message limits (64 KiB) are below the benchmark's 1 MiB. */
    private static final long MAX_MESSAGE_SIZE = 1 << 20;

    private JavalinEchoServer() {
    }

    public static void main(String[] args) {
        int port = port(args);
        var app = Javalin.create(config -> {
            config.jetty.host = HOST;
            config.jetty.port = port;
            config.startup.showJavalinBanner = false; // keeps the log to what the server does
            config.jetty.modifyWebSocketServletFactory(factory -> {
                factory.setMaxTextMessageSize(MAX_MESSAGE_SIZE);
                factory.setMaxBinaryMessageSize(MAX_MESSAGE_SIZE);
            });
            // Javalin ignores trailing slashes by default: this route also serves "/foobar/".
            config.routes.ws("/foobar", ws -> {
                ws.onMessage(ctx -> ctx.send(ctx.message()));
                // Javalin completes Jetty's callback for the payload as soon as this handler
                // returns, and Jetty may then reuse that buffer while ctx.send is still writing
                // it: echo a copy.
                ws.onBinaryMessage(ctx -> ctx.send(copyOf(ctx.data())));
            });
        });
        // Javalin's own shutdown hook is opt-in; SIGTERM stops the server gracefully.
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "shutdown"));
        app.start();
        System.out.println("ready " + port);
    }

    private static ByteBuffer copyOf(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        return copy;
    }

    /** Reads {@code --port N} (default 8080); anything else is a usage error. */
    static int port(String[] args) {
        if (args.length == 0) {
            return 8080;
        }
        if (args.length == 2 && args[0].equals("--port")) {
            int port = Integer.parseInt(args[1]);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        throw new IllegalArgumentException("usage: [--port N], 1 <= N <= 65535; got " + String.join(" ", args));
    }
}
