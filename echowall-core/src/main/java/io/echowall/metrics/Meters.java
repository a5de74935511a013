package io.echowall.metrics;

import io.echowall.RoomOptions;
import io.echowall.WebSocket;
import io.echowall.rooms.RoomHub;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one run of the server, in the app's {@code MeterRegistry}; docs/reference/metrics.md
 * lists them. Labels come from route templates and small fixed sets only, never from a request's
 * path, a room's name or a user, so the number of series does not grow with traffic.
 *
 * <p>Made when the server starts and closed when it stops. Gauges describe the running server and
 * leave the registry when it stops; counters stay, and go on counting if the app starts again.
 * Without a registry every meter is Micrometer's no-op, so counting costs nothing.
 */
public final class Meters {

    /** The route label of requests that no route, endpoint or static folder matched. */
    public static final String NOT_FOUND = "NOT_FOUND";
    /** The route label of requests served by the static files. */
    public static final String STATIC = "STATIC";
    /** The route label of requests answered before routing: malformed, too large, for another host, {@code OPTIONS *}. */
    public static final String UNROUTED = "UNROUTED";

    private final MeterRegistry registry;
    private final List<Meter> gauges = new CopyOnWriteArrayList<>();
    private final Map<String, WebSocketMeters> webSockets = new ConcurrentHashMap<>();
    private final Map<HttpSeries, Timer> requests = new ConcurrentHashMap<>();
    private final Meter.MeterProvider<Counter> handshakes;
    /** The handshake counters by route and outcome, so that a handshake looks one up without building its tags. */
    private final Map<String, Map<HandshakeOutcome, Counter>> handshakeCounters = new ConcurrentHashMap<>();
    private final Counter accepted;
    private final Counter droppedOldest;
    private final Counter droppedForLatest;

    /** One series of the HTTP request timer. */
    private record HttpSeries(String method, String route, int status) {
    }

    private Meters(MeterRegistry registry) {
        this.registry = registry;
        this.handshakes = Counter.builder("echowall.websocket.handshakes")
                .description("WebSocket opening handshakes, by route and outcome")
                .withRegistry(registry);
        this.accepted = Counter.builder("echowall.connections.accepted")
                .description("TCP connections accepted")
                .register(registry);
        this.droppedOldest = roomDrops(RoomOptions.SlowConsumer.DROP_OLDEST);
        this.droppedForLatest = roomDrops(RoomOptions.SlowConsumer.KEEP_LATEST);
    }

    /** Meters in {@code registry}; with none (null), no-op meters that count nothing. */
    public static Meters of(MeterRegistry registry) {
        if (registry == null) {
            registry = new SimpleMeterRegistry();
            registry.config().meterFilter(MeterFilter.deny()); // every meter asked of it is a no-op
        }
        return new Meters(registry);
    }

    private Counter roomDrops(RoomOptions.SlowConsumer policy) {
        return Counter.builder("echowall.rooms.dropped")
                .description("Room messages dropped for members that were behind, by the room's policy")
                .tag("policy", policy.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    /**
     * Starts the gauges of a running server: its open {@code connections}, its WebSocket
     * {@code sessions} (for the bytes waiting to be sent) and its {@code rooms}.
     */
    public void watch(Collection<?> connections, Collection<? extends WebSocket> sessions, RoomHub rooms) {
        gauge("echowall.connections", "Open TCP connections, HTTP and WebSocket", null, connections, Collection::size);
        gauge("echowall.websocket.send.queue", "Bytes of WebSocket messages waiting to be sent, all connections",
                "bytes", sessions, Meters::queuedBytes);
        gauge("echowall.rooms", "Rooms with members on this server", null, rooms, RoomHub::roomCount);
        gauge("echowall.rooms.members", "Room memberships of connections on this server", null, rooms,
                RoomHub::memberCount);
        gauge("echowall.broker.up", "1 while the room broker reaches the other servers, else 0", null, rooms,
                hub -> hub.healthy() ? 1 : 0);
        functionCounter("echowall.rooms.published", "Messages published to rooms on this server", rooms,
                RoomHub::publishedCount);
        functionCounter("echowall.rooms.received", "Room messages received from other servers through the broker",
                rooms, RoomHub::receivedCount);
        functionCounter("echowall.broker.outages", "Times the room broker lost the other servers", rooms,
                RoomHub::outageCount);
    }

    private static double queuedBytes(Collection<? extends WebSocket> sessions) {
        long bytes = 0;
        for (WebSocket session : sessions) {
            bytes += session.bufferedAmount();
        }
        return bytes;
    }

    private <T> void gauge(String name, String description, String unit, T state, ToDoubleFunction<T> value,
                           String... tags) {
        gauges.add(Gauge.builder(name, state, value).description(description).baseUnit(unit).tags(tags)
                .strongReference(true).register(registry));
    }

    private <T> void functionCounter(String name, String description, T state, ToDoubleFunction<T> count) {
        gauges.add(FunctionCounter.builder(name, state, count).description(description).register(registry));
    }

    /** A TCP connection was accepted. */
    public void connectionAccepted() {
        accepted.increment();
    }

    /** A response to an HTTP request served since {@code startedNanos}, labelled with its {@code route}. */
    public void httpResponse(String method, String route, int status, long startedNanos) {
        requests.computeIfAbsent(new HttpSeries(Labels.method(method), route, status), series -> Timer
                        .builder("echowall.http.requests")
                        .description("HTTP requests, WebSocket upgrades aside, by method, route and status")
                        .tags("method", series.method(), "route", series.route(), "status", Integer.toString(series.status()))
                        .register(registry))
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** A WebSocket handshake for {@code route} ended with {@code outcome}. */
    public void handshake(String route, HandshakeOutcome outcome) {
        Map<HandshakeOutcome, Counter> outcomes = handshakeCounters.computeIfAbsent(route, r -> new ConcurrentHashMap<>());
        Counter counter = outcomes.get(outcome);
        if (counter == null) {
            counter = outcomes.computeIfAbsent(outcome, o -> handshakes.withTags("route", route, "outcome", o.label()));
        }
        counter.increment();
    }

    /** The meters of the WebSocket endpoint at {@code route}, a route template. */
    public WebSocketMeters webSocket(String route) {
        return webSockets.computeIfAbsent(route, this::newWebSocketMeters);
    }

    private WebSocketMeters newWebSocketMeters(String route) {
        AtomicLong open = new AtomicLong();
        gauge("echowall.websocket.connections", "Open WebSocket sessions, by route", null, open, AtomicLong::get,
                "route", route);
        return new WebSocketMeters(
                counter("echowall.websocket.received.messages", "WebSocket messages received", null, route),
                counter("echowall.websocket.received.bytes", "Payload bytes of WebSocket messages received, "
                        + "after decompression", "bytes", route),
                counter("echowall.websocket.sent.messages", "WebSocket messages sent, room messages included", null, route),
                counter("echowall.websocket.sent.bytes", "Payload bytes of WebSocket messages sent, before "
                        + "compression", "bytes", route),
                open,
                Counter.builder("echowall.websocket.closes").description("WebSocket sessions closed, by close code")
                        .tag("route", route).withRegistry(registry),
                slowCloses(route, "peer_too_slow"),
                slowCloses(route, "too_slow_for_room"),
                droppedOldest, droppedForLatest);
    }

    private Counter counter(String name, String description, String unit, String route) {
        return Counter.builder(name).description(description).baseUnit(unit).tag("route", route).register(registry);
    }

    private Counter slowCloses(String route, String reason) {
        return Counter.builder("echowall.websocket.slow.closes")
                .description("WebSocket sessions closed for not reading what they were sent (1008)")
                .tags("route", route, "reason", reason)
                .register(registry);
    }

    /** The server stopped: its gauges leave the registry. */
    public void close() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }
}
