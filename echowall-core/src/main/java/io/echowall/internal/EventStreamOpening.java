package io.echowall.internal;

import io.echowall.http.RequestTarget;
import io.echowall.http.Router;
import io.echowall.rooms.Seat;
import io.echowall.websocket.Handshake;
import io.echowall.websocket.Protocol;
import io.echowall.websocket.RateLimit;
import io.echowall.websocket.Session;
import io.echowall.websocket.UpgradeRequest;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Opens the event stream of an {@code echowall.v1} endpoint, the transport for clients whose WebSocket
 * cannot open: a {@code GET} of the endpoint's path that accepts {@code text/event-stream}. It is
 * checked and filtered as an upgrade is (origin, limits, before filters), then the connection switches
 * to the event-stream pipeline and the same protocol session as a WebSocket's begins on it.
 */
final class EventStreamOpening {

    private static final Logger log = LoggerFactory.getLogger(EventStreamOpening.class);

    private final Application app;
    private final PipelineInitializer pipelines;
    private final HttpConnection http;
    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final RequestTarget target;
    private final Router.Found<Endpoint> route;
    private final InetSocketAddress client;
    private final Endpoint.WebSocket endpoint;

    EventStreamOpening(Application app, PipelineInitializer pipelines, HttpConnection http, ChannelHandlerContext ctx,
                       FullHttpRequest request, RequestTarget target, Router.Found<Endpoint> route,
                       InetSocketAddress client) {
        this.app = app;
        this.pipelines = pipelines;
        this.http = http;
        this.ctx = ctx;
        this.request = request;
        this.target = target;
        this.route = route;
        this.client = client;
        this.endpoint = (Endpoint.WebSocket) route.target();
    }

    /** The rooms endpoint {@code request} asks an event stream of, or null when it asks none. */
    static Router.Found<Endpoint> streamed(FullHttpRequest request, Router<Endpoint> router, String rawPath) {
        if (!request.method().name().equals("GET")) {
            return null;
        }
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        if (accept == null || !accept.contains("text/event-stream")) {
            return null;
        }
        return router.route(Router.WEBSOCKET, rawPath) instanceof Router.Found<Endpoint> found
                && found.target() instanceof Endpoint.WebSocket ws && ws.access() != null ? found : null;
    }

    /** Event loop: checks the request, then runs the before filters (if any) and opens the stream. */
    void start() {
        if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            http.respondError(request, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    "An event stream needs HTTP/1.1.", true);
            return;
        }
        List<String> origins = request.headers().getAll(HttpHeaderNames.ORIGIN);
        if (origins.size() > 1 || !Handshake.originAllowed(origins.isEmpty() ? null : origins.get(0),
                request.headers().get(HttpHeaderNames.HOST), app.config().allowedOrigins())) {
            http.respondError(request, HttpResponseStatus.FORBIDDEN, "Pages from this origin may not open event streams here.", true);
            return;
        }
        ConnectionLimits.Refusal limited = client == null ? null
                : pipelines.limits().admitWebSocket(client.getAddress(), ctx.channel());
        if (limited != null) {
            http.refuse(request, limited);
            return;
        }
        String rawPath = target.rawPath();
        if (app.beforeFilters().stream().noneMatch(f -> f.applies(rawPath))) {
            open(Map.of());
            return;
        }
        HttpExchange exchange = new HttpExchange(request, app, client, target);
        exchange.pathParams(route.pathParams());
        Thread.ofVirtual().name("echowall-event-stream").start(() -> {
            Runnable next;
            try {
                if (ExchangeRunner.runFilters(app.beforeFilters(), exchange, rawPath, true)) {
                    next = () -> open(exchange.attributes());
                } else {
                    next = () -> http.respond(request, ExchangeRunner.toResponse(exchange), true);
                }
            } catch (Throwable t) {
                log.error("A before filter failed on the event stream of {}; the client gets 500", target.path(), t);
                next = () -> http.respondError(request, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "The server met an error it could not handle.", true);
            }
            ctx.executor().execute(next);
        });
    }

    /** Event loop: switches the pipeline, writes the response head and opens the session. */
    private void open(Map<String, Object> attributes) {
        Channel channel = ctx.channel();
        if (!channel.isActive()) {
            request.release();
            return;
        }
        UpgradeRequest upgrade = new UpgradeRequest(target.path(), route.pathParams(), target.rawQuery(),
                UpgradeRequest.packHeaders(request.headers()), null, attributes);
        EventStreamWire wire = new EventStreamWire(EventStreamWire.responseHead());
        WebSocketConnection connection = pipelines.switchToEventStream(channel.pipeline(), wire, client,
                app.meters().webSocket(route.pattern()));
        String session = app.eventStreams().open(channel, wire);
        Protocol protocol = new Protocol(connection, app.protocolTiming());
        protocol.limitRate(RateLimit.of(endpoint.options().messagesPerSecond(), endpoint.options().bytesPerSecond(),
                System::nanoTime));
        ProtocolMember member = new ProtocolMember(app.rooms(), connection, endpoint.access(), app.config().sendTimeout(),
                session);
        Session.Seats seats = id -> new Seat(app.rooms(), member, id);
        Session live = Session.blocking(connection, protocol, upgrade, app.sessionLimits(), seats,
                pipelines.liveSessions(), member);
        connection.attach(protocol, live);
        AccessLog accessLog = app.accessLog();
        if (accessLog.enabled()) {
            long opened = System.nanoTime();
            channel.closeFuture().addListener(f -> accessLog.webSocketClosed(client, upgrade.path(), protocol.closeStatus(), opened));
        }
        http.upgraded();
        request.release();
        connection.start(Unpooled.EMPTY_BUFFER);
    }
}
