package io.echowall.peers.jetty;

import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * WebSocket echo server on Jetty 12.1 with Jetty's own WebSocket API (no Servlet layer): Jetty's
 * defaults except the message size limits.
 */
public final class JettyEchoServer {
    private static final String HOST = "127.0.0.1";
    /** Jetty's default text and binary message limits (64 KiB) are below the benchmark's 1 MiB. */
    private static final long MAX_MESSAGE_SIZE = 1 << 20;

    private JettyEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = port(args);
        var server = new Server();
        var connector = new ServerConnector(server);
        connector.setHost(HOST);
        connector.setPort(port);
        connector.setAcceptedTcpNoDelay(true); // Jetty's default too; stated because the benchmark relies on it
        server.addConnector(connector);

        var context = new ContextHandler("/");
        context.setHandler(WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(MAX_MESSAGE_SIZE);
            container.setMaxBinaryMessageSize(MAX_MESSAGE_SIZE);
            container.addMapping("/foobar", (request, response, callback) -> new EchoEndpoint());
            container.addMapping("/foobar/", (request, response, callback) -> new EchoEndpoint());
        }));
        server.setHandler(context);
        server.setStopAtShutdown(true); // SIGTERM stops the server gracefully
        server.start();
        System.out.println("ready " + port);
        server.join();
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

    /**
     * Sends every whole message back with its type. Jetty demands the next message once a
     * listener method returns or, for binary messages, once their callback completes. Public
     * because Jetty binds the listener methods through a public method lookup.
     */
    public static final class EchoEndpoint extends Session.Listener.AbstractAutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            // A failed send fails the session in Jetty itself; there is nothing to add here.
            getSession().sendText(message, Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            // Jetty owns the payload until its callback completes: completing it when the echo has
            // been written lets the bytes go out without a copy and paces reads to writes.
            getSession().sendBinary(payload, callback);
        }
    }
}
