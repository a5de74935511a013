package io.echowall.internal;

import io.echowall.http.RequestTarget;
import io.echowall.http.Router;
import io.echowall.rooms.Seat;
import io.echowall.websocket.Handshake;
import io.echowall.websocket.Protocol;
import io.echowall.websocket.Session;
import io.echowall.websocket.UpgradeRequest;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;
import java.util.Map;

/**
 * Opens the event stream of an {@code echowall.v1} endpoint, the transport for clients whose WebSocket
 * cannot open: a {@code GET} of the endpoint's path that accepts {@code text/event-stream}. It is
 * checked and filtered as an upgrade is (origin, limits, before filters), then the connection switches
 * to the event-stream pipeline and the same protocol session as a WebSocket's begins on it.
 */
final class EventStreamOpening {

    private final Opening opening;
    private final Application app;
    private final HttpConnection http;
    private final FullHttpRequest request;

    EventStreamOpening(Opening opening) {
        this.opening = opening;
        this.app = opening.app();
        this.http = opening.http();
        this.request = opening.request();
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
        ConnectionLimits.Refusal limited = opening.limitRefusal();
        if (limited != null) {
            http.refuse(request, limited);
            return;
        }
        opening.filterThen("event stream", this::open, outcome -> { }); // event streams are not handshakes: not counted
    }

    /** Event loop: switches the pipeline, writes the response head and opens the session. */
    private void open(Map<String, Object> attributes) {
        Channel channel = opening.ctx().channel();
        if (!channel.isActive()) {
            request.release();
            return;
        }
        RequestTarget target = opening.target();
        UpgradeRequest upgrade = new UpgradeRequest(target.path(), opening.route().pathParams(), target.rawQuery(),
                UpgradeRequest.packHeaders(request.headers()::iteratorCharSequence), null, attributes);
        EventStreamWire wire = new EventStreamWire(EventStreamWire.responseHead());
        PipelineInitializer pipelines = opening.pipelines();
        WebSocketConnection connection = pipelines.switchToEventStream(channel.pipeline(), wire, opening.client(),
                app.meters().webSocket(opening.route().pattern()));
        String session = app.eventStreams().open(channel, wire);
        Protocol protocol = opening.protocol(connection);
        ProtocolMember member = new ProtocolMember(app.rooms(), connection, opening.endpoint().access(),
                app.config().sendTimeout(), session);
        Session.Seats seats = id -> new Seat(app.rooms(), member, id);
        Session live = Session.blocking(connection, protocol, upgrade, app.sessionLimits(), seats,
                pipelines.liveSessions(), member);
        connection.attach(protocol, live);
        opening.logClose(upgrade.path(), protocol);
        http.upgraded();
        request.release();
        connection.start(Unpooled.EMPTY_BUFFER);
    }
}
