package io.echowall.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.echowall.EchowallConfig;
import io.echowall.ExceptionHandler;
import io.echowall.RoomOptions;
import io.echowall.Handler;
import io.echowall.Message;
import io.echowall.Position;
import io.echowall.WebSocketHandler;
import io.echowall.WebSocketListener;
import io.echowall.RoomAccess;
import io.echowall.WebSocketOptions;
import io.echowall.rooms.ClientProtocol;
import io.echowall.http.PathPattern;
import io.echowall.http.Router;
import io.echowall.http.StaticFiles;
import io.echowall.http.Templates;
import io.echowall.metrics.Meters;
import io.echowall.metrics.PrometheusPage;
import io.echowall.rooms.LocalBroker;
import io.echowall.rooms.RoomHub;
import io.echowall.rooms.RoomOptionsTable;
import io.echowall.websocket.Protocol;
import io.echowall.websocket.Session;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.EventExecutorGroup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything a connection consults to serve an app: its configuration, routes, filters, static files
 * and templates. Built up by {@link io.echowall.Echowall} before start, read by every connection after.
 */
public final class Application {

    /** Where the browser client of the {@code echowall.v1} protocol is served, beside any rooms endpoint. */
    private static final String CLIENT_PATH = "/echowall";

    private final EchowallConfig config;
    private final Router<Endpoint> router = new Router<>();
    private final List<Filter> beforeFilters = new CopyOnWriteArrayList<>();
    private final List<Filter> afterFilters = new CopyOnWriteArrayList<>();
    private final List<StaticFiles> staticFiles = new CopyOnWriteArrayList<>();
    private boolean servesClient;
    private final Templates templates;
    private final ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
    private final Session.Limits sessionLimits;
    private final Protocol.Timing protocolTiming;
    private final Map<Class<?>, ExceptionHandler<?>> exceptionHandlers = new ConcurrentHashMap<>();
    private final Map<Integer, Handler> errorHandlers = new ConcurrentHashMap<>();
    private final RoomOptionsTable roomOptions = new RoomOptionsTable();
    private final RoomHub rooms;
    private final AccessLog accessLog;
    private final List<String> webSocketRoutes = new CopyOnWriteArrayList<>();
    private final HealthChecks health;
    private final EventStreams eventStreams;
    private MeterRegistry meterRegistry;
    private volatile Meters meters = Meters.of(null);

    /** An app with no routes yet. */
    public Application(EchowallConfig config) {
        this.config = config;
        this.templates = config.templateDirectory() == null
                ? Templates.fromClasspath() : Templates.fromDirectory(config.templateDirectory());
        this.sessionLimits = new Session.Limits(config.receiveQueueSize(), config.receiveBufferSize(), config.sendTimeout());
        this.protocolTiming = new Protocol.Timing(config.pingInterval(), config.pingTimeout(), config.closeTimeout());
        this.rooms = new RoomHub(config.broker() != null ? config.broker() : new LocalBroker(), config.presenceGrace(),
                new EventLoopFanout(PooledByteBufAllocator.DEFAULT), roomOptions);
        this.accessLog = new AccessLog(config.accessLog());
        this.meterRegistry = config.meterRegistry();
        this.health = new HealthChecks(rooms);
        this.eventStreams = new EventStreams(config);
    }

    /** Adds an HTTP route. */
    public void route(String method, String path, Handler handler) {
        router.add(method, path, new Endpoint.Http(handler));
    }

    /** Adds a WebSocket endpoint served by a blocking handler. */
    public void webSocket(String path, WebSocketOptions options, WebSocketHandler handler) {
        if (options.eventLoop()) {
            throw new IllegalArgumentException(
                    "a blocking handler cannot run on the event loop; use a WebSocketListener for that");
        }
        router.add(Router.WEBSOCKET, path, new Endpoint.WebSocket(handler, null, options, null));
        webSocketRoutes.add(path);
    }

    /** Adds a WebSocket endpoint served by a listener. */
    public void webSocket(String path, WebSocketOptions options, WebSocketListener listener) {
        router.add(Router.WEBSOCKET, path, new Endpoint.WebSocket(null, listener, options, null));
        webSocketRoutes.add(path);
    }

    /**
     * Adds an endpoint that speaks the {@code echowall.v1} client protocol, governed by {@code access};
     * the first one also serves the browser client at {@code /echowall/echowall.js}.
     */
    public void roomsEndpoint(String path, RoomAccess access, WebSocketOptions options) {
        if (options.eventLoop()) {
            throw new IllegalArgumentException("a rooms endpoint serves each client on a virtual thread, not on the event loop");
        }
        router.add(Router.WEBSOCKET, path, new Endpoint.WebSocket(null, null,
                options.withSubprotocols(ClientProtocol.SUBPROTOCOL), access));
        router.add("POST", path, new Endpoint.Http(eventStreams)); // requests of clients on the event stream
        webSocketRoutes.add(path);
        if (!servesClient) {
            staticFiles(StaticFiles.fromClasspath(CLIENT_PATH, "META-INF/echowall"));
            servesClient = true;
        }
    }

    /** The open event streams of rooms endpoints, and the route their clients post to. */
    EventStreams eventStreams() {
        return eventStreams;
    }

    /**
     * Serves the app's meters at {@code path} in Prometheus's text format, from the configured registry
     * or, with none configured, from a Prometheus registry made here, which then receives the meters.
     */
    public void metricsPage(String path) {
        PrometheusPage page = PrometheusPage.forRegistry(meterRegistry);
        route("GET", path, page);
        meterRegistry = page.registry();
    }

    /** Lets HTTP clients publish the body of {@code POST path/{room}}, once per {@code Idempotency-Key}. */
    public void publishEndpoint(String path) {
        String prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        route("POST", prefix + "/{room}", ctx -> {
            String key = ctx.header("Idempotency-Key");
            Position position = rooms.publish(ctx.pathParam("room"), Message.text(ctx.body()),
                    key == null || key.isBlank() ? null : "http:" + key).join();
            ctx.json(Map.of("room", ctx.pathParam("room"), "epoch", position.epoch(), "offset", position.offset()));
        });
    }

    /** Serves liveness at {@code path/live} and readiness at {@code path/ready}. */
    public void healthPages(String path) {
        String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        route("GET", base + "/live", HealthChecks.page(health::liveness));
        route("GET", base + "/ready", HealthChecks.page(health::readiness));
    }

    /** Lets {@code handler} build the response when a handler throws a {@code type}. */
    public <E extends Exception> void exceptionHandler(Class<E> type, ExceptionHandler<? super E> handler) {
        exceptionHandlers.put(type, handler);
    }

    /** Lets {@code handler} build the responses with {@code status} that the server decides on. */
    public void errorHandler(int status, Handler handler) {
        errorHandlers.put(status, handler);
    }

    /** The handler for {@code exception}: the one registered for its class or the nearest superclass, or null. */
    @SuppressWarnings("unchecked")
    ExceptionHandler<Exception> exceptionHandlerFor(Exception exception) {
        for (Class<?> type = exception.getClass(); type != null; type = type.getSuperclass()) {
            ExceptionHandler<?> handler = exceptionHandlers.get(type);
            if (handler != null) {
                return (ExceptionHandler<Exception>) handler; // registered for this type or a supertype of it
            }
        }
        return null;
    }

    /** The app's handler for error responses with {@code status}, or null. */
    Handler errorHandler(int status) {
        return errorHandlers.get(status);
    }

    /** Gives rooms matching {@code pattern} (a name, or a prefix ending in {@code *}) these options. */
    public void roomOptions(String pattern, RoomOptions options) {
        roomOptions.set(pattern, options);
    }

    /** The app's rooms on this server. */
    public RoomHub rooms() {
        return rooms;
    }

    /** Adds a before filter; {@code path} null means every path. */
    public void before(String path, Handler handler) {
        beforeFilters.add(new Filter(path == null ? null : PathPattern.parse(path), handler));
    }

    /** Adds an after filter; {@code path} null means every path. */
    public void after(String path, Handler handler) {
        afterFilters.add(new Filter(path == null ? null : PathPattern.parse(path), handler));
    }

    /** Adds a source of static files. */
    public void staticFiles(StaticFiles files) {
        staticFiles.add(files);
    }

    EchowallConfig config() {
        return config;
    }

    /** The server started: meters of its own for this run, and health pages that watch its {@code loops}. */
    Meters serverStarted(EventExecutorGroup loops) {
        Meters started = Meters.of(meterRegistry);
        webSocketRoutes.forEach(started::webSocket); // every endpoint's series exist from the start, at zero
        meters = started;
        health.serving(loops);
        return started;
    }

    /** The server began to stop: no longer ready. */
    void serverStopping() {
        health.stopping();
    }

    /** The meters of the running server (no-ops before it starts). */
    Meters meters() {
        return meters;
    }

    Router<Endpoint> router() {
        return router;
    }

    List<Filter> beforeFilters() {
        return beforeFilters;
    }

    List<Filter> afterFilters() {
        return afterFilters;
    }

    List<StaticFiles> staticFiles() {
        return staticFiles;
    }

    Templates templates() {
        return templates;
    }

    ObjectMapper json() {
        return json;
    }

    /** The limits every WebSocket session of this app enforces. */
    AccessLog accessLog() {
        return accessLog;
    }

    Session.Limits sessionLimits() {
        return sessionLimits;
    }

    /** The timings every WebSocket connection of this app keeps. */
    Protocol.Timing protocolTiming() {
        return protocolTiming;
    }
}
