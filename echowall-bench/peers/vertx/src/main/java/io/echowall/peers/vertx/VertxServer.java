package io.echowall.peers.vertx;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * WebSocket echo and fan-out server on Vert.x 5 core: one verticle instance per core sharing the
 * port, native transport when available, Vert.x's defaults except the WebSocket size limits.
 */
public final class VertxServer {
    private static final String HOST = "127.0.0.1";
    private static final Set<String> ECHO_PATHS = Set.of("/foobar", "/foobar/");
    private static final String FANOUT_PATH = "/fanout";
    /** The event bus address a publisher's messages go to, and every verticle listens on. */
    private static final String FANOUT_ADDRESS = "fanout";
    /**
     * Vert.x's defaults (64 KiB frames, 256 KiB messages) are below the benchmark's 1 MiB messages,
     * which clients send as a single frame.
     */
    private static final int MAX_WEBSOCKET_SIZE = 1 << 20;

    private VertxServer() {
    }

    public static void main(String[] args) {
        int port = port(args);
        // Vert.x's documentation recommends the native transport on Linux; NIO is its fallback.
        var vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        var options = new HttpServerOptions()
                .setHost(HOST)
                .setPort(port)
                .setTcpNoDelay(true) // Vert.x's default too; stated because the benchmark relies on it
                .setMaxWebSocketFrameSize(MAX_WEBSOCKET_SIZE)
                .setMaxWebSocketMessageSize(MAX_WEBSOCKET_SIZE);
        // Vert.x scales a server over cores by deploying one verticle instance per core.
        var instances = new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors());
        vertx.deployVerticle(() -> new ServerVerticle(options), instances)
                .onFailure(failure -> vertx.close()) // its threads would keep the JVM alive
                .await();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "shutdown"));
        System.err.println("transport: " + (vertx.isNativeTransportEnabled() ? "native" : "NIO"));
        System.out.println("ready " + port);
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
     * One HTTP server on the shared port: it upgrades ECHO_PATHS and echoes every whole message, and
     * upgrades FANOUT_PATH for the fan-out. A fan-out subscriber joins this verticle's own set (only
     * its event loop touches it); a publisher's message is published on the event bus, and each
     * verticle's consumer writes it to its own subscribers: one event-bus message per verticle, then
     * one write per subscriber, on the subscriber's own event loop.
     */
    static final class ServerVerticle extends VerticleBase {
        private final HttpServerOptions options;
        private final Set<ServerWebSocket> subscribers = new HashSet<>();

        ServerVerticle(HttpServerOptions options) {
            this.options = options;
        }

        @Override
        public Future<?> start() {
            vertx.eventBus().<Object>localConsumer(FANOUT_ADDRESS, message -> {
                if (message.body() instanceof Buffer data) {
                    subscribers.forEach(ws -> ws.writeBinaryMessage(data));
                } else {
                    String text = (String) message.body();
                    subscribers.forEach(ws -> ws.writeTextMessage(text));
                }
            });
            return vertx.createHttpServer(options)
                    .webSocketHandshakeHandler(handshake -> {
                        if (ECHO_PATHS.contains(handshake.path()) || FANOUT_PATH.equals(handshake.path())) {
                            handshake.accept();
                        } else {
                            handshake.reject(404);
                        }
                    })
                    .webSocketHandler(ws -> {
                        if (FANOUT_PATH.equals(ws.path())) {
                            fanout(ws);
                        } else {
                            echo(ws);
                        }
                    })
                    .requestHandler(request -> request.response().setStatusCode(404).end())
                    .listen();
        }

        private static void echo(ServerWebSocket ws) {
            ws.textMessageHandler(text -> {
                ws.writeTextMessage(text);
                pauseWhileFull(ws);
            });
            ws.binaryMessageHandler(data -> {
                ws.writeBinaryMessage(data);
                pauseWhileFull(ws);
            });
        }

        /** Vert.x's back-pressure idiom: stop reading until the write queue drains. */
        private static void pauseWhileFull(ServerWebSocket ws) {
            if (ws.writeQueueFull()) {
                ws.pause();
                ws.drainHandler(done -> ws.resume());
            }
        }

        /** A subscriber, sent "ready" once it is in the set, or (with role=publisher) a publisher. */
        private void fanout(ServerWebSocket ws) {
            String query = ws.query();
            if (query != null && Arrays.asList(query.split("&")).contains("role=publisher")) {
                var bus = vertx.eventBus();
                ws.textMessageHandler(text -> bus.publish(FANOUT_ADDRESS, text));
                ws.binaryMessageHandler(data -> bus.publish(FANOUT_ADDRESS, data));
            } else {
                subscribers.add(ws);
                ws.closeHandler(closed -> subscribers.remove(ws));
                ws.writeTextMessage("ready");
            }
        }
    }
}
