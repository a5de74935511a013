package io.echowall;

import io.echowall.http.StaticFiles;
import io.echowall.internal.Application;
import io.echowall.internal.LoggingCheck;
import io.echowall.internal.Server;
import io.echowall.internal.ShutdownHook;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * An Echowall app: HTTP routes, WebSocket endpoints, filters, static files and templates, served by
 * one server.
 *
 * <pre>{@code
 * var app = Echowall.create();
 * app.get("/", ctx -> ctx.render("index.html"));
 * app.ws("/foobar", ws -> {
 *     for (var message : ws) {
 *         ws.send(message);
 *     }
 * });
 * app.start(5000);
 * }</pre>
 *
 * <p>Routes are added before {@link #start(int)}. Paths may hold parameters ({@code /chat/{room}}), and
 * a trailing slash does not matter. Requests nobody serves get 404, methods a path does not accept get
 * 405 with {@code Allow}, and a handler that throws gets the client a 500 whose details stay in the log.
 *
 * <p>Threading, in one place: the event loops only do I/O. Every HTTP request and every blocking
 * WebSocket session runs on a virtual thread of its own; listener callbacks run on virtual threads too,
 * one at a time per connection, unless an endpoint opts in to its event loop
 * ({@link WebSocketOptions#withEventLoop(boolean)}).
 */
public final class Echowall implements AutoCloseable {

    private final EchowallConfig config;
    private final Application app;
    private volatile Server server;
    private ShutdownHook shutdownHook;

    private Echowall(EchowallConfig config) {
        LoggingCheck.warnIfSilent();
        this.config = config;
        this.app = new Application(config);
    }

    /** An app with the default configuration. */
    public static Echowall create() {
        return new Echowall(EchowallConfig.defaults());
    }

    /** An app configured by changing the defaults: {@code Echowall.create(c -> c.withMaxMessageSize(…))}. */
    public static Echowall create(UnaryOperator<EchowallConfig> configure) {
        return new Echowall(Objects.requireNonNull(configure.apply(EchowallConfig.defaults()), "configuration"));
    }

    // ---------------------------------------------------------------- HTTP routes

    /** Serves GET (and HEAD) requests for {@code path}. */
    public Echowall get(String path, Handler handler) {
        return route("GET", path, handler);
    }

    /** Serves POST requests for {@code path}. */
    public Echowall post(String path, Handler handler) {
        return route("POST", path, handler);
    }

    /** Serves PUT requests for {@code path}. */
    public Echowall put(String path, Handler handler) {
        return route("PUT", path, handler);
    }

    /** Serves PATCH requests for {@code path}. */
    public Echowall patch(String path, Handler handler) {
        return route("PATCH", path, handler);
    }

    /** Serves DELETE requests for {@code path}. */
    public Echowall delete(String path, Handler handler) {
        return route("DELETE", path, handler);
    }

    /** Serves HEAD requests for {@code path} (without this, HEAD is served by the GET route). */
    public Echowall head(String path, Handler handler) {
        return route("HEAD", path, handler);
    }

    private Echowall route(String method, String path, Handler handler) {
        requireNotStarted();
        app.route(method, path, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    // ---------------------------------------------------------------- filters

    /** Runs {@code filter} before every request's handler; a filter that responds ends the exchange. */
    public Echowall before(Handler filter) {
        requireNotStarted();
        app.before(null, Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /** Runs {@code filter} before the handler of requests (and WebSocket upgrades) for {@code path}. */
    public Echowall before(String path, Handler filter) {
        requireNotStarted();
        app.before(path, Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /** Runs {@code filter} after every request's handler, to adjust the response. */
    public Echowall after(Handler filter) {
        requireNotStarted();
        app.after(null, Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /** Runs {@code filter} after the handler of requests for {@code path}. */
    public Echowall after(String path, Handler filter) {
        requireNotStarted();
        app.after(path, Objects.requireNonNull(filter, "filter"));
        return this;
    }

    // ---------------------------------------------------------------- errors

    /**
     * Lets {@code handler} build the response when a handler or filter throws a {@code type} (the
     * handler registered for the nearest superclass wins), instead of the default 500 page.
     */
    public <E extends Exception> Echowall exception(Class<E> type, ExceptionHandler<? super E> handler) {
        requireNotStarted();
        app.exceptionHandler(Objects.requireNonNull(type, "type"), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /**
     * Lets {@code handler} build the error responses with {@code status} that the server decides on
     * while serving a request: 400 (a malformed body), 404 (nothing at the address), 405 (not this
     * method; the {@code Allow} header is kept) and 500 (a handler failed and no exception handler
     * took it). The handler starts from a response with that status and no body. Errors decided before
     * a request is read (malformed HTTP, 408, 413, 431) keep the default page. By default error pages
     * are small HTML pages, or JSON for clients whose {@code Accept} asks for JSON rather than HTML.
     */
    public Echowall error(int status, Handler handler) {
        requireNotStarted();
        if (status != 400 && status != 404 && status != 405 && status != 500) {
            throw new IllegalArgumentException("error pages can be set for 400, 404, 405 and 500, not " + status);
        }
        app.errorHandler(status, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    // ---------------------------------------------------------------- WebSockets

    /** Serves WebSocket connections to {@code path} with a blocking handler. */
    public Echowall ws(String path, WebSocketHandler handler) {
        return ws(path, WebSocketOptions.defaults(), handler);
    }

    /** Serves WebSocket connections to {@code path} with a blocking handler and {@code options}. */
    public Echowall ws(String path, WebSocketOptions options, WebSocketHandler handler) {
        requireNotStarted();
        app.webSocket(path, options, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Serves WebSocket connections to {@code path} with a listener. */
    public Echowall ws(String path, WebSocketListener listener) {
        return ws(path, WebSocketOptions.defaults(), listener);
    }

    /** Serves WebSocket connections to {@code path} with a listener and {@code options}. */
    public Echowall ws(String path, WebSocketOptions options, WebSocketListener listener) {
        requireNotStarted();
        app.webSocket(path, options, Objects.requireNonNull(listener, "listener"));
        return this;
    }

    // ---------------------------------------------------------------- rooms

    /**
     * The app's rooms: publish to a room, count its users, hear of presence. Publishing and counting work
     * while the app runs; presence listeners may be added before.
     */
    public Rooms rooms() {
        return app.rooms();
    }

    /**
     * Gives rooms named {@code room}, or starting with its prefix when it ends in {@code *}
     * ({@code "ticker/*"}), these options; the last matching setting wins.
     */
    public Echowall room(String room, RoomOptions options) {
        requireNotStarted();
        app.roomOptions(Objects.requireNonNull(room, "room"), Objects.requireNonNull(options, "options"));
        return this;
    }

    /**
     * Serves clients of the {@code echowall.v1} protocol at {@code path}: they subscribe to rooms, get
     * every message with its position, resume after a reconnect without loss or repeat, and publish
     * with acknowledgements (docs/reference/client-protocol.md), over a WebSocket or, where those cannot open,
     * an event stream ({@code GET} and {@code POST} of {@code path}, so no POST route may share it). Every
     * client may use every room; see {@link #roomsEndpoint(String, RoomAccess)} to decide.
     */
    public Echowall roomsEndpoint(String path) {
        return roomsEndpoint(path, RoomAccess.OPEN);
    }

    /** Serves clients of the {@code echowall.v1} protocol at {@code path}, as {@code access} allows. */
    public Echowall roomsEndpoint(String path, RoomAccess access) {
        return roomsEndpoint(path, access, WebSocketOptions.defaults());
    }

    /**
     * Serves clients of the {@code echowall.v1} protocol at {@code path}, as {@code access} allows, with
     * {@code options}: a rate limit on what each client sends, above all, when clients are not trusted
     * (the subprotocol is always {@code echowall.v1}).
     */
    public Echowall roomsEndpoint(String path, RoomAccess access, WebSocketOptions options) {
        requireNotStarted();
        app.roomsEndpoint(path, Objects.requireNonNull(access, "access"), Objects.requireNonNull(options, "options"));
        return this;
    }

    // ---------------------------------------------------------------- operations

    /**
     * Serves the app's meters at {@code path} (such as {@code /metrics}) in Prometheus's text format, for
     * a Prometheus server to scrape. The meters are those of the configured
     * {@linkplain EchowallConfig#withMeterRegistry registry}, which must then be a Prometheus registry (or
     * a composite holding one); with none configured, the app makes a Prometheus registry of its own.
     * Needs {@code io.micrometer:micrometer-registry-prometheus} on the class path.
     *
     * <p>The page is an ordinary GET route: before filters apply to it, which is how to protect it
     * (docs/reference/metrics.md shows one way), and it is counted like any other route.
     *
     * @throws IllegalStateException if the Prometheus registry is not on the class path, or the configured
     *                               registry holds no Prometheus registry
     */
    public Echowall metrics(String path) {
        requireNotStarted();
        app.metricsPage(Objects.requireNonNull(path, "path"));
        return this;
    }

    /**
     * Lets HTTP clients publish: {@code POST path/{room}} publishes the request body, as text, to the
     * room and answers {@code {"room", "epoch", "offset"}}. A request with an {@code Idempotency-Key}
     * header is applied once however often it is sent within {@link Broker#DEDUPE_WINDOW}. Protect the
     * path with a {@link #before} filter: anyone who reaches it can publish to any room.
     */
    public Echowall publishEndpoint(String path) {
        requireNotStarted();
        app.publishEndpoint(Objects.requireNonNull(path, "path"));
        return this;
    }

    /**
     * Serves health checks under {@code path} (such as {@code /health}), for load balancers and
     * orchestrators: {@code path/live} answers 200 while every event loop runs tasks (503 when one is
     * stuck), {@code path/ready} answers 200 while the server runs and its room broker reaches the other
     * servers (503 when it is stopping or the broker is down). Each answers with a small JSON body that
     * says which check failed.
     *
     * <p>They are ordinary GET routes, so before filters apply to them: a filter that demands a login
     * must let the orchestrator's probes through.
     */
    public Echowall health(String path) {
        requireNotStarted();
        app.healthPages(Objects.requireNonNull(path, "path"));
        return this;
    }

    // ---------------------------------------------------------------- static files

    /** Serves the files in the classpath folder {@code folder} under the URL prefix {@code prefix}. */
    public Echowall staticFiles(String prefix, String folder) {
        requireNotStarted();
        app.staticFiles(StaticFiles.fromClasspath(prefix, folder));
        return this;
    }

    /** Serves the files in {@code directory} under the URL prefix {@code prefix}. */
    public Echowall staticFiles(String prefix, Path directory) {
        requireNotStarted();
        app.staticFiles(StaticFiles.fromDirectory(prefix, directory));
        return this;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts serving on {@code port} of the configured host (0 picks a free port; see {@link #port()}),
     * and, unless configured otherwise, stops gracefully when the JVM is asked to end (SIGTERM, Ctrl-C).
     *
     * @throws IllegalStateException if the app already started, or the port cannot be bound (the
     *                               message says why in one line, such as a port in use)
     * @throws IllegalArgumentException for a setting that cannot work, such as an unreadable TLS key
     */
    public synchronized Echowall start(int port) {
        requireNotStarted();
        try {
            server = Server.start(app, port);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
        if (config.stopOnShutdown()) {
            shutdownHook = ShutdownHook.register(this::stop);
        }
        return this;
    }

    /** The port the server listens on. */
    public int port() {
        return address().getPort();
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        Server s = server;
        if (s == null) {
            throw new IllegalStateException("the app has not started");
        }
        return s.address();
    }

    /**
     * Stops gracefully: stops accepting, closes every WebSocket with 1001 and lets requests in progress
     * finish, for at most the configured shutdown timeout. Does nothing if not started.
     */
    public synchronized void stop() {
        Server s = server;
        if (s != null) {
            s.stop();
            server = null;
        }
        if (shutdownHook != null) {
            shutdownHook.remove();
            shutdownHook = null;
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private void requireNotStarted() {
        if (server != null) {
            throw new IllegalStateException("routes and settings are fixed once the app started");
        }
    }
}
