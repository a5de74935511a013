package io.echowall.internal;

import io.echowall.Handler;
import io.echowall.http.RequestTarget;
import io.echowall.http.Router;
import io.echowall.metrics.HandshakeOutcome;
import io.echowall.metrics.Meters;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Serves the HTTP requests of one connection, one at a time and in order, so responses to pipelined
 * requests come back in the order the requests came (RFC 9112 section 9.3.2). Handlers run on virtual
 * threads; responses are written on the event loop. A WebSocket upgrade hands the connection over to
 * {@link WebSocketUpgrade}, an event stream's request to {@link EventStreamOpening}.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpConnection.class);

    private final Application app;
    private final PipelineInitializer pipelines;
    private final Set<HttpConnection> openConnections;
    private final RequestDeadline deadline;
    private final ConnectionLimits.Refusal overLimit;
    private ChannelHandlerContext ctx;
    private ArrayDeque<FullHttpRequest> waiting;
    private boolean busy;
    private long servedSince;
    private String routeLabel; // of the request being served; null for a handshake, which its own meter counts
    private SocketAddress client;
    private boolean closeWhenIdle;
    private final UpgradeInput upgradeInput = new UpgradeInput();

    HttpConnection(Application app, PipelineInitializer pipelines, Set<HttpConnection> openConnections,
                   RequestDeadline deadline, ConnectionLimits.Refusal overLimit) {
        this.app = app;
        this.pipelines = pipelines;
        this.openConnections = openConnections;
        this.deadline = deadline;
        this.overLimit = overLimit;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        openConnections.add(this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        openConnections.remove(this);
        if (waiting != null) {
            waiting.forEach(ReferenceCountUtil::release);
            waiting.clear();
        }
        upgradeInput.release();
    }

    /** Event loop: the raw input behind a WebSocket upgrade request, held for the WebSocket pipeline. */
    UpgradeInput upgradeInput() {
        return upgradeInput;
    }

    /** Closes the connection as soon as it has no request in progress; for shutdown. */
    void closeWhenIdle() {
        ctx.executor().execute(() -> {
            closeWhenIdle = true;
            if (!busy) {
                ctx.close();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (upgradeInput.offer(msg)) {
            return;
        }
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        deadline.requestArrived();
        if (busy) {
            if (waiting == null) {
                waiting = new ArrayDeque<>(4);
            }
            waiting.add(request);
            ctx.channel().config().setAutoRead(false); // pipelined requests wait in the socket, not here
            return;
        }
        serve(request);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {} failed: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    // ---------------------------------------------------------------- dispatch

    private void serve(FullHttpRequest request) {
        busy = true;
        servedSince = System.nanoTime();
        routeLabel = Meters.UNROUTED;
        client = ctx.channel().remoteAddress();
        if (overLimit != null) {
            refuse(request, overLimit);
            return;
        }
        if (request.decoderResult().isFailure()) {
            rejectMalformed(request);
            return;
        }
        if (request.protocolVersion().majorVersion() != 1) {
            respondError(request, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    "This server speaks HTTP/1.1.", true); // RFC 9110 section 15.6.6
            return;
        }
        RequestTarget target;
        try {
            target = RequestTarget.parse(request.uri(), request.method().equals(HttpMethod.OPTIONS));
        } catch (IllegalArgumentException malformed) {
            respondError(request, HttpResponseStatus.BAD_REQUEST, malformed.getMessage(), true);
            return;
        }
        if (target == RequestTarget.ASTERISK) {
            respond(request, emptyResponse(HttpResponseStatus.NO_CONTENT), false);
            return;
        }
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1 || hosts.isEmpty() && request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            // RFC 9112 section 3.2: 400 for an HTTP/1.1 request without Host, and for any with several.
            respondError(request, HttpResponseStatus.BAD_REQUEST, "The request needs exactly one Host header.", true);
            return;
        }
        if (!hosts.isEmpty() && !pipelines.allowedHosts().allows(hosts.get(0))) {
            // A name this server was not told it has: a DNS rebinding attack, or a misdirected request.
            respondError(request, HttpResponseStatus.FORBIDDEN, "This server does not answer to the host name in "
                    + "this request. If it should, add the name to the server's allowed hosts.", true);
            return;
        }
        if (client instanceof InetSocketAddress peer) {
            client = pipelines.clientAddress().of(peer, request.headers()::getAll);
        }
        route(request, target);
    }

    private void route(FullHttpRequest request, RequestTarget target) {
        Router<Endpoint> router = app.router();
        String method = request.method().name();
        String rawPath = target.rawPath();
        if (method.equals("GET") && WebSocketUpgrade.isUpgrade(request)) {
            if (router.route(Router.WEBSOCKET, rawPath) instanceof Router.Found<Endpoint> found) {
                routeLabel = null;
                new WebSocketUpgrade(new Opening(app, pipelines, this, ctx, request, target, found,
                        client instanceof InetSocketAddress inet ? inet : null)).start();
                return;
            }
            app.meters().handshake(Meters.NOT_FOUND, HandshakeOutcome.NOT_FOUND);
        } else if (EventStreamOpening.streamed(request, router, rawPath) instanceof Router.Found<Endpoint> streamed) {
            routeLabel = null;
            new EventStreamOpening(new Opening(app, pipelines, this, ctx, request, target, streamed,
                    client instanceof InetSocketAddress inet ? inet : null)).start();
            return;
        }
        routeLabel = Meters.NOT_FOUND;
        Router.Match<Endpoint> match = router.route(method, rawPath);
        HttpExchange exchange = new HttpExchange(request, app, client, target);
        switch (match) {
            case Router.Found<Endpoint> found when found.target() instanceof Endpoint.Http http -> {
                routeLabel = found.pattern();
                exchange.pathParams(found.pathParams());
                runOnVirtualThread(exchange, http.handler()::handle);
            }
            case Router.MethodNotAllowed<Endpoint> notAllowed -> {
                if (method.equals("OPTIONS")) {
                    FullHttpResponse response = emptyResponse(HttpResponseStatus.NO_CONTENT);
                    response.headers().set(HttpHeaderNames.ALLOW, String.join(", ", notAllowed.allowed()));
                    respond(request, response, false);
                } else if (method.equals("GET") && router.route(Router.WEBSOCKET, rawPath) instanceof Router.Found<?>) {
                    FullHttpResponse response = ErrorPages.response(request, HttpResponseStatus.UPGRADE_REQUIRED,
                            "This address speaks WebSocket: connect with a WebSocket client.");
                    response.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                            .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
                    respond(request, response, false);
                } else {
                    fail(exchange, new ServedError(405, "This address does not accept " + method + " requests.",
                            Map.of("Allow", String.join(", ", notAllowed.allowed()))));
                }
            }
            default -> serveStaticOrNotFound(request, exchange, method);
        }
    }

    private void serveStaticOrNotFound(FullHttpRequest request, HttpExchange exchange, String method) {
        boolean readOnly = method.equals("GET") || method.equals("HEAD");
        if (!readOnly || app.staticFiles().isEmpty()) {
            fail(exchange, new ServedError(404, "Nothing is served at this address.", Map.of()));
            return;
        }
        routeLabel = Meters.STATIC;
        runOnVirtualThread(exchange, ExchangeRunner.staticFiles(app));
    }

    /**
     * Answers with {@code error}: at once with the default page, or through the app's error handler for
     * its status, which is user code and so runs on a virtual thread.
     */
    private void fail(HttpExchange exchange, ServedError error) {
        if (app.errorHandler(error.status()) == null) {
            FullHttpResponse response = ErrorPages.response(exchange.request(),
                    HttpResponseStatus.valueOf(error.status()), error.getMessage());
            error.headers().forEach(response.headers()::set);
            respond(exchange.request(), response, false);
        } else {
            runOnVirtualThread(exchange, ctx -> {
                throw error;
            });
        }
    }

    /** Runs {@code handler} with the filters on a virtual thread, then responds on the event loop. */
    private void runOnVirtualThread(HttpExchange exchange, Handler handler) {
        ExchangeRunner.start(app, exchange, handler,
                (response, file) -> ctx.executor().execute(() -> respond(exchange.request(), response, false, file)));
    }

    // ---------------------------------------------------------------- responses

    private void rejectMalformed(FullHttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        if (cause instanceof TooLongHttpContentException) {
            respondError(request, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "The request body is larger than this server accepts.", true);
        } else if (cause instanceof TooLongHttpLineException) {
            respondError(request, HttpResponseStatus.REQUEST_URI_TOO_LONG, "The request line is too long.", true);
        } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            respondError(request, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "The request headers are too large.", true);
        } else {
            respondError(request, HttpResponseStatus.BAD_REQUEST, "The request is not valid HTTP/1.1.", true);
        }
    }

    /** Event loop: answers {@code request} with an error page. */
    void respondError(FullHttpRequest request, HttpResponseStatus status, String explanation, boolean close) {
        FullHttpResponse response = ErrorPages.response(request, status, explanation);
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        respond(request, response, close);
    }

    /** Event loop: refuses {@code request} for a limit, telling the client when to try again, and closes. */
    void refuse(FullHttpRequest request, ConnectionLimits.Refusal refusal) {
        FullHttpResponse response = ErrorPages.response(request, refusal.status(), refusal.explanation());
        response.headers().set(HttpHeaderNames.RETRY_AFTER, refusal.retryAfterSeconds());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        respond(request, response, true);
    }

    private static FullHttpResponse emptyResponse(HttpResponseStatus status) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    }

    /**
     * Event loop: writes the response to {@code request}, releases the request and moves on to the next
     * one, or closes the connection when it should not be kept alive.
     */
    void respond(FullHttpRequest request, FullHttpResponse response, boolean close) {
        respond(request, response, close, null);
    }

    /**
     * Event loop: as {@link #respond(FullHttpRequest, FullHttpResponse, boolean)}, with the body streamed
     * from {@code file} when it is not null (the response then carries only the headers).
     */
    private void respond(FullHttpRequest request, FullHttpResponse response, boolean close, ChunkedNioFile file) {
        boolean keepAlive = !close && !closeWhenIdle && HttpUtil.isKeepAlive(request)
                && !response.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        ResponseWire.completeHeaders(request, response, keepAlive);
        app.accessLog().response(client, request, response.status().code(),
                file == null ? response.content().readableBytes() : file.length(), servedSince);
        if (routeLabel != null) {
            app.meters().httpResponse(request.method().name(), routeLabel, response.status().code(), servedSince);
        }
        request.release();
        ChannelFuture written = ResponseWire.write(ctx, response, file);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        busy = false;
        FullHttpRequest next = waiting == null ? null : waiting.poll();
        if (next != null) {
            serve(next);
        } else {
            deadline.arm();
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Event loop: the connection became a WebSocket; requests pipelined behind the upgrade are dropped. */
    void upgraded() {
        busy = false;
        if (waiting != null) {
            waiting.forEach(ReferenceCountUtil::release);
            waiting.clear();
        }
    }

}
