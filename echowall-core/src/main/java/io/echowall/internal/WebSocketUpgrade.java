package io.echowall.internal;

import io.echowall.EchowallConfig;
import io.echowall.WebSocketOptions;
import io.echowall.http.Router;
import io.echowall.websocket.DeflateNegotiation;
import io.echowall.websocket.Protocol;
import io.echowall.websocket.Session;
import io.echowall.websocket.UpgradeRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;

/**
 * One WebSocket opening handshake (RFC 6455 section 4.2): checks the request, lets the before filters
 * refuse it, negotiates the subprotocol and permessage-deflate, then switches the connection's pipeline
 * and opens the session. A request that fails a check gets an HTTP error and is not upgraded.
 */
final class WebSocketUpgrade {

    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);
    private static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";

    private final Application app;
    private final PipelineInitializer pipelines;
    private final HttpConnection http;
    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final String path;
    private final String rawQuery;
    private final Router.Found<Endpoint> route;
    private final Endpoint.WebSocket endpoint;

    WebSocketUpgrade(Application app, PipelineInitializer pipelines, HttpConnection http, ChannelHandlerContext ctx,
                     FullHttpRequest request, String path, String rawQuery, Router.Found<Endpoint> route) {
        this.app = app;
        this.pipelines = pipelines;
        this.http = http;
        this.ctx = ctx;
        this.request = request;
        this.path = path;
        this.rawQuery = rawQuery;
        this.route = route;
        this.endpoint = (Endpoint.WebSocket) route.target();
    }

    /** Whether the request asks to upgrade to WebSocket (RFC 6455 section 4.2.1, item 3). */
    static boolean isUpgrade(FullHttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** Event loop: checks the request, then runs the before filters (if any) and the handshake. */
    void start() {
        http.holdInputForUpgrade();
        HttpHeaders headers = request.headers();
        if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            reject(HttpResponseStatus.BAD_REQUEST, "A WebSocket handshake needs HTTP/1.1.");
            return;
        }
        if (!headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            reject(HttpResponseStatus.BAD_REQUEST, "A WebSocket handshake needs 'Connection: Upgrade'.");
            return;
        }
        if (!"13".equals(headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            // Section 4.4: name the version we speak.
            FullHttpResponse response = ErrorPages.response(HttpResponseStatus.UPGRADE_REQUIRED,
                    "This server speaks WebSocket version 13.");
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13")
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            http.respond(request, response, true);
            return;
        }
        List<String> keys = headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (keys.size() != 1 || !isValidKey(keys.get(0))) {
            reject(HttpResponseStatus.BAD_REQUEST, "Sec-WebSocket-Key must be 16 random bytes in base64.");
            return;
        }
        List<String> origins = headers.getAll(HttpHeaderNames.ORIGIN);
        if (origins.size() > 1) {
            // RFC 6454 section 7.3: a user agent sends at most one; judging by either would be a guess.
            reject(HttpResponseStatus.BAD_REQUEST, "A WebSocket handshake may carry only one Origin header.");
            return;
        }
        if (!originAllowed(origins.isEmpty() ? null : origins.get(0), headers.get(HttpHeaderNames.HOST), app.config())) {
            reject(HttpResponseStatus.FORBIDDEN, "Pages from this origin may not open WebSockets here.");
            return;
        }
        String rawPath = HttpConnection.rawPathOf(request);
        boolean filtered = app.beforeFilters().stream().anyMatch(f -> f.applies(rawPath));
        if (!filtered) {
            handshake(Map.of());
            return;
        }
        // Filters are user code: they run on a virtual thread while the connection waits, not reading.
        HttpExchange exchange = new HttpExchange(request, app, (java.net.InetSocketAddress) ctx.channel().remoteAddress(),
                path, rawQuery);
        exchange.pathParams(route.pathParams());
        Thread.ofVirtual().name("echowall-upgrade").start(() -> {
            Runnable next;
            try {
                if (HttpConnection.runFilters(app.beforeFilters(), exchange, rawPath, true)) {
                    next = () -> handshake(exchange.attributes());
                } else {
                    next = () -> http.respond(request, filteredResponse(exchange), true);
                }
            } catch (Throwable t) {
                log.error("A before filter failed on the WebSocket upgrade of {}; the client gets 500", path, t);
                next = () -> reject(HttpResponseStatus.INTERNAL_SERVER_ERROR, "The server met an error it could not handle.");
            }
            ctx.executor().execute(next);
        });
    }

    private static FullHttpResponse filteredResponse(HttpExchange exchange) {
        byte[] body = exchange.responseBody();
        FullHttpResponse response = new io.netty.handler.codec.http.DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(exchange.status()),
                body == null ? io.netty.buffer.Unpooled.EMPTY_BUFFER : io.netty.buffer.Unpooled.wrappedBuffer(body));
        response.headers().set(exchange.responseHeaders());
        return response;
    }

    private void reject(HttpResponseStatus status, String explanation) {
        http.respondError(request, status, explanation, true);
    }

    /** Event loop: negotiates, writes the 101 response, switches the pipeline, and opens the session. */
    private void handshake(Map<String, Object> attributes) {
        Channel channel = ctx.channel();
        if (!channel.isActive()) {
            request.release();
            return;
        }
        EchowallConfig config = app.config();
        WebSocketOptions options = endpoint.options();
        HttpHeaders responseHeaders = new DefaultHttpHeaders();
        String subprotocol = selectSubprotocol(request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL),
                options.subprotocols());
        if (subprotocol != null) {
            responseHeaders.set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, subprotocol);
        }
        Map<String, String> offer = config.permessageDeflate() ? DeflateNegotiation.firstAcceptableOffer(
                request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS)) : null;
        WebSocketServerExtension deflate = offer == null ? null : negotiateDeflate(offer, config);
        if (deflate != null) {
            Map<String, String> accepted = new LinkedHashMap<>(deflate.newReponseData().parameters());
            String serverWindow = offer.get(SERVER_MAX_WINDOW_BITS);
            if (serverWindow != null) {
                // RFC 7692 section 7.1.2.1: accepting this parameter means answering a value no
                // larger, even the 15 that Netty leaves out, and the 8 it was not told about.
                accepted.putIfAbsent(SERVER_MAX_WINDOW_BITS, serverWindow.equals("8") ? "8" : "15");
            }
            responseHeaders.set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, format(accepted));
        }
        WebSocketServerHandshaker13 handshaker = new WebSocketServerHandshaker13(request.uri(), null,
                app.frameDecoderConfig(deflate != null));
        UpgradeRequest upgrade = new UpgradeRequest(path, route.pathParams(), rawQuery,
                UpgradeRequest.packHeaders(request.headers()), subprotocol, attributes);
        boolean onEventLoop = endpoint.listener() != null && options.eventLoop();

        ByteBuf earlyInput = http.takeHeldInput();
        ChannelFuture written = handshaker.handshake(channel, request, responseHeaders, channel.newPromise());
        WebSocketConnection connection = pipelines.switchToWebSocket(channel.pipeline(), deflate);
        Protocol protocol = new Protocol(connection, app.protocolTiming());
        Session session = endpoint.handler() != null
                ? Session.blocking(connection, protocol, upgrade, app.sessionLimits(), pipelines.liveSessions(),
                        endpoint.handler())
                : Session.listening(connection, protocol, upgrade, app.sessionLimits(), pipelines.liveSessions(),
                        endpoint.listener(), onEventLoop);
        connection.attach(protocol, session);
        http.upgraded();
        request.release();
        written.addListener(f -> {
            if (f.isSuccess()) {
                connection.start(earlyInput);
            } else {
                earlyInput.release();
                log.debug("WebSocket handshake with {} failed: {}", channel, f.cause().toString());
                channel.close();
            }
        });
    }

    /**
     * Lets Netty's permessage-deflate handshaker accept {@code offer}. A client that limits the
     * server to a 256-byte window ({@code server_max_window_bits=8}) gets stored deflate blocks,
     * level 0: zlib cannot compress within 256 bytes, and stored blocks refer back to nothing.
     */
    private static WebSocketServerExtension negotiateDeflate(Map<String, String> offer, EchowallConfig config) {
        Map<String, String> params = new HashMap<>(offer);
        boolean tinyWindow = "8".equals(params.get(SERVER_MAX_WINDOW_BITS));
        if (tinyWindow) {
            params.remove(SERVER_MAX_WINDOW_BITS);
        }
        return deflateHandshaker(config, tinyWindow ? 0 : config.deflateLevel())
                .handshakeExtension(new WebSocketExtensionData(DeflateNegotiation.PERMESSAGE_DEFLATE, params));
    }

    private static PerMessageDeflateServerExtensionHandshaker deflateHandshaker(EchowallConfig config, int level) {
        return new PerMessageDeflateServerExtensionHandshaker(
                level,
                true,                                   // honour a client's server_max_window_bits
                config.deflateClientMaxWindowBits(),
                true,                                   // honour a client's server_no_context_takeover
                config.deflateClientNoContextTakeover(),
                config.deflateServerMaxWindowBits(),
                8,                                      // zlib's default memory level
                inflateLimit(config));
    }

    /**
     * Where the inflater gives up on a frame (1009): past the message limit, with headroom because
     * Netty's zlib decoder stops short of its buffer's end; the exact limit is checked on the result.
     */
    private static int inflateLimit(EchowallConfig config) {
        return (int) Math.min(Integer.MAX_VALUE, config.maxMessageSize() + (64L << 10));
    }

    /** The endpoint's first subprotocol that the client also offered (section 4.2.2, item 5.4). */
    static String selectSubprotocol(List<String> offeredHeaders, List<String> supported) {
        if (supported.isEmpty() || offeredHeaders.isEmpty()) {
            return null;
        }
        List<String> offered = offeredHeaders.stream()
                .flatMap(h -> java.util.Arrays.stream(h.split(",")))
                .map(String::trim)
                .toList();
        for (String name : supported) {
            if (offered.contains(name)) {
                return name;
            }
        }
        return null;
    }

    /** Section 4.2.1, item 5: the key is base64 of 16 bytes. */
    static boolean isValidKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether a page from {@code origin} may open a WebSocket: no Origin (not a browser), the server's
     * own origin (same host and port as the Host header), or an allowed one.
     */
    static boolean originAllowed(String origin, String host, EchowallConfig config) {
        if (origin == null) {
            return true;
        }
        List<String> allowed = config.allowedOrigins();
        if (allowed.contains("*")) {
            return true;
        }
        String normalized = origin.trim().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.trim().toLowerCase(Locale.ROOT).replaceAll("/+$", "").equals(normalized)) {
                return true;
            }
        }
        if (host == null || normalized.equals("null")) {
            return false;
        }
        try {
            URI uri = new URI(normalized);
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
            String originAuthority = uri.getHost() + ":" + port;
            String hostLower = host.trim().toLowerCase(Locale.ROOT);
            String hostAuthority = hostLower.lastIndexOf(':') > hostLower.lastIndexOf(']')
                    ? hostLower : hostLower + ":" + port;
            return originAuthority.equals(hostAuthority);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String format(Map<String, String> parameters) {
        StringBuilder s = new StringBuilder(DeflateNegotiation.PERMESSAGE_DEFLATE);
        for (Entry<String, String> p : parameters.entrySet()) {
            s.append("; ").append(p.getKey());
            if (p.getValue() != null) {
                s.append('=').append(p.getValue());
            }
        }
        return s.toString();
    }
}
