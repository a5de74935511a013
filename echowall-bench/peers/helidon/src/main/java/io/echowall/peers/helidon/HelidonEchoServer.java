package io.echowall.peers.helidon;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * WebSocket echo server on Helidon 4 SE, which runs each connection on its own virtual thread:
 * Helidon's defaults except TCP_NODELAY.
 */
public final class HelidonEchoServer {
    private static final String HOST = "127.0.0.1";

    private HelidonEchoServer() {
    }

    public static void main(String[] args) {
        int port = port(args);
        WsListener echo = new EchoListener();
        WebServer server = WebServer.builder()
                .host(HOST)
                .port(port)
                // Helidon leaves Nagle on by default, which stalls an echo of large messages.
                .connectionOptions(socket -> socket.tcpNoDelay(true))
                // Helidon matches WebSocket paths exactly; its frame limit is 1 MiB by default.
                .addRouting(WsRouting.builder()
                        .endpoint("/foobar", echo)
                        .endpoint("/foobar/", echo))
                .build()
                .start(); // Helidon registers a JVM shutdown hook: SIGTERM stops it gracefully
        // A failed start (the port is taken, say) is logged and returns, it does not throw.
        if (!server.isRunning()) {
            throw new IllegalStateException("Helidon did not start on " + HOST + ":" + port + "; see its log above");
        }
        System.out.println("ready " + server.port());
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
     * Sends every frame back as it came, text as text and binary as binary, keeping the FIN bit,
     * from the connection's own virtual thread. Stateless, so one instance serves every session.
     */
    static final class EchoListener implements WsListener {
        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            session.send(text, last);
        }

        @Override
        public void onMessage(WsSession session, BufferData buffer, boolean last) {
            session.send(buffer, last);
        }
    }
}
