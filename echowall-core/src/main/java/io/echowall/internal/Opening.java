package io.echowall.internal;

import io.echowall.WebSocketOptions;
import io.echowall.http.RequestTarget;
import io.echowall.http.Router;
import io.echowall.metrics.HandshakeOutcome;
import io.echowall.websocket.Protocol;
import io.echowall.websocket.RateLimit;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A request that opens a long-lived connection to a WebSocket endpoint, by a WebSocket upgrade or as an
 * event stream, with what either needs to refuse it or open it, and the steps both take alike.
 *
 * @param client the client, behind any trusted proxy; null off TCP, as in tests
 */
record Opening(Application app, PipelineInitializer pipelines, HttpConnection http, ChannelHandlerContext ctx,
               FullHttpRequest request, RequestTarget target, Router.Found<Endpoint> route, InetSocketAddress client) {

    private static final Logger log = LoggerFactory.getLogger(Opening.class);

    /** The endpoint the request opens a connection to. */
    Endpoint.WebSocket endpoint() {
        return (Endpoint.WebSocket) route.target();
    }

    /**
     * Event loop: runs the before filters that apply to the request, then {@code open}, on the event loop,
     * with the attributes they set. A filter that answers the request ends it with that answer; one that
     * throws gets the client a 500 and is logged once; {@code outcome} hears either. {@code what} names
     * the opening in the log.
     */
    void filterThen(String what, Consumer<Map<String, Object>> open, Consumer<HandshakeOutcome> outcome) {
        String rawPath = target.rawPath();
        if (!anyFilterApplies(rawPath)) {
            open.accept(Map.of());
            return;
        }
        // Filters are user code: they run on a virtual thread while the connection waits, not reading.
        HttpExchange exchange = new HttpExchange(request, app, client, target);
        exchange.pathParams(route.pathParams());
        Thread.ofVirtual().name("echowall-opening").start(() -> {
            Runnable next;
            try {
                if (ExchangeRunner.runFilters(app.beforeFilters(), exchange, rawPath, true)) {
                    next = () -> open.accept(exchange.attributes());
                } else {
                    outcome.accept(HandshakeOutcome.REFUSED);
                    next = () -> http.respond(request, ExchangeRunner.toResponse(exchange), true);
                }
            } catch (Throwable t) {
                log.error("A before filter failed on the {} of {}; the client gets 500", what, target.path(), t);
                outcome.accept(HandshakeOutcome.FAILED);
                next = () -> http.respondError(request, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "The server met an error it could not handle.", true);
            }
            ctx.executor().execute(next);
        });
    }

    private boolean anyFilterApplies(String rawPath) {
        for (Filter filter : app.beforeFilters()) { // a loop, not a stream: this runs on every opening
            if (filter.applies(rawPath)) {
                return true;
            }
        }
        return false;
    }

    /** Why the connection limits refuse this connection, or null when it may open. */
    ConnectionLimits.Refusal limitRefusal() {
        return client == null ? null : pipelines.limits().admitWebSocket(client.getAddress(), ctx.channel());
    }

    /** The protocol of the connection opened on {@code wire}, with the endpoint's rate limit. */
    Protocol protocol(WebSocketConnection wire) {
        WebSocketOptions options = endpoint().options();
        Protocol protocol = new Protocol(wire, app.protocolTiming());
        protocol.limitRate(RateLimit.of(options.messagesPerSecond(), options.bytesPerSecond(), System::nanoTime));
        return protocol;
    }

    /** Logs the connection's close to the access log, when that is on. */
    void logClose(String path, Protocol protocol) {
        AccessLog accessLog = app.accessLog();
        if (accessLog.enabled()) {
            long opened = System.nanoTime();
            ctx.channel().closeFuture().addListener(f -> accessLog.webSocketClosed(client, path, protocol.closeStatus(), opened));
        }
    }
}
