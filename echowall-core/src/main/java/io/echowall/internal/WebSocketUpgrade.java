package io.echowall.internal;

import io.echowall.EchowallConfig;
import io.echowall.WebSocketHandler;
import io.echowall.http.RequestTarget;
import io.echowall.metrics.HandshakeOutcome;
import io.echowall.rooms.ClientProtocol;
import io.echowall.rooms.Member;
import io.echowall.rooms.Seat;
import io.echowall.websocket.DeflateNegotiation;
import io.echowall.websocket.Handshake;
import io.echowall.websocket.Protocol;
import io.echowall.websocket.Session;
import io.echowall.websocket.UpgradeRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * One WebSocket opening handshake (RFC 6455 section 4.2): checks the request, lets the before filters
 * refuse it, negotiates the subprotocol and permessage-deflate, then switches the connection's pipeline
 * and opens the session. A request that fails a check gets an HTTP error and is not upgraded.
 */
final class WebSocketUpgrade {

    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);

    private final Opening opening;
    private final Application app;
    private final HttpConnection http;
    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final Endpoint.WebSocket endpoint;

    WebSocketUpgrade(Opening opening) {
        this.opening = opening;
        this.app = opening.app();
        this.http = opening.http();
        this.ctx = opening.ctx();
        this.request = opening.request();
        this.endpoint = opening.endpoint();
    }

    /** Whether the request asks to upgrade to WebSocket (RFC 6455 section 4.2.1, item 3). */
    static boolean isUpgrade(FullHttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** Event loop: checks the request, then runs the before filters (if any) and the handshake. */
    void start() {
        http.upgradeInput().hold(ctx);
        Handshake.Refusal refusal = Handshake.check(request.protocolVersion().equals(HttpVersion.HTTP_1_1),
                request.headers()::getAll, app.config().allowedOrigins());
        if (refusal != null) {
            count(HandshakeOutcome.refusedWith(refusal.status()));
            FullHttpResponse response = ErrorPages.response(request, HttpResponseStatus.valueOf(refusal.status()),
                    refusal.explanation());
            if (refusal.namesVersion()) {
                response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13"); // RFC 6455 section 4.4
            }
            http.respond(request, response, true);
            return;
        }
        if (endpoint.access() != null && Handshake.selectSubprotocol(request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL),
                endpoint.options().subprotocols()) == null) {
            reject(HttpResponseStatus.BAD_REQUEST, "This endpoint speaks the " + ClientProtocol.SUBPROTOCOL
                    + " protocol: offer it in Sec-WebSocket-Protocol (echowall.js does).");
            return;
        }
        ConnectionLimits.Refusal limited = opening.limitRefusal();
        if (limited != null) {
            count(HandshakeOutcome.LIMITED);
            http.refuse(request, limited);
            return;
        }
        opening.filterThen("WebSocket upgrade", this::handshake, this::count);
    }

    private void count(HandshakeOutcome outcome) {
        app.meters().handshake(opening.route().pattern(), outcome);
    }

    private void reject(HttpResponseStatus status, String explanation) {
        http.respondError(request, status, explanation, true);
    }

    /** Event loop: negotiates, switches the pipeline, writes the 101 response, and opens the session. */
    private void handshake(Map<String, Object> attributes) {
        Channel channel = ctx.channel();
        if (!channel.isActive()) {
            count(HandshakeOutcome.ABANDONED);
            request.release();
            return;
        }
        EchowallConfig config = app.config();
        HttpHeaders headers = request.headers();
        String subprotocol = Handshake.selectSubprotocol(headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL),
                endpoint.options().subprotocols());
        Map<String, String> offer = config.permessageDeflate() ? DeflateNegotiation.firstAcceptableOffer(
                headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS)) : null;
        WebSocketServerExtension deflate = offer == null ? null : DeflateExtension.accept(offer, config);
        String extensions = deflate == null ? null
                : DeflateNegotiation.response(offer, deflate.newReponseData().parameters());
        ByteBuf response = SwitchingProtocols.response(channel.alloc(), headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY),
                subprotocol, extensions);
        RequestTarget target = opening.target();
        UpgradeRequest upgrade = new UpgradeRequest(target.path(), opening.route().pathParams(), target.rawQuery(),
                UpgradeRequest.packHeaders(headers::iteratorCharSequence), subprotocol, attributes);
        boolean onEventLoop = endpoint.listener() != null && endpoint.options().eventLoop();

        ByteBuf earlyInput = http.upgradeInput().take();
        PipelineInitializer pipelines = opening.pipelines();
        WebSocketConnection connection = pipelines.switchToWebSocket(channel.pipeline(), deflate, opening.client(),
                app.meters().webSocket(opening.route().pattern()));
        // Written below the frame encoder, so that its hot path never sees a buffer to pass through.
        ChannelFuture written = channel.pipeline().context(PipelineInitializer.WS_ENCODER).writeAndFlush(response);
        Protocol protocol = opening.protocol(connection);
        WebSocketHandler handler = endpoint.handler();
        Member member = connection;
        if (endpoint.access() != null) {
            ProtocolMember protocolMember = new ProtocolMember(app.rooms(), connection, endpoint.access(), config.sendTimeout(),
                    null);
            handler = protocolMember;
            member = protocolMember;
        }
        Member seated = member;
        Session.Seats seats = id -> new Seat(app.rooms(), seated, id);
        Session session = handler != null
                ? Session.blocking(connection, protocol, upgrade, app.sessionLimits(), seats, pipelines.liveSessions(),
                        handler)
                : Session.listening(connection, protocol, upgrade, app.sessionLimits(), seats,
                        pipelines.liveSessions(), endpoint.listener(), onEventLoop);
        connection.attach(protocol, session);
        opening.logClose(upgrade.path(), protocol);
        http.upgraded();
        request.release();
        written.addListener(f -> {
            if (f.isSuccess()) {
                count(HandshakeOutcome.ACCEPTED);
                connection.start(earlyInput);
            } else {
                count(HandshakeOutcome.ABANDONED);
                earlyInput.release();
                log.debug("WebSocket handshake with {} failed: {}", channel, f.cause().toString());
                channel.close();
            }
        });
    }
}
