package io.echowall.internal;

import io.echowall.Handler;
import io.echowall.http.Router;
import io.echowall.http.StaticFiles;
import io.echowall.websocket.Utf8Validator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;

/**
 * Serves the HTTP requests of one connection, one at a time and in order, so responses to pipelined
 * requests come back in the order the requests came (RFC 9112 section 9.3.2). Handlers run on virtual
 * threads; responses are written on the event loop. A WebSocket upgrade hands the connection over to
 * {@link WebSocketUpgrade}.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpConnection.class);
    private static final ThreadFactory VIRTUAL_THREADS = Thread.ofVirtual().name("echowall-http-", 1).factory();
    /** IMF-fixdate (RFC 9110 section 5.6.7): unlike RFC 1123 in general, the day always has two digits. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final Application app;
    private final PipelineInitializer pipelines;
    private final Set<HttpConnection> openConnections;
    private final RequestDeadline deadline;
    private ChannelHandlerContext ctx;
    private ArrayDeque<FullHttpRequest> waiting;
    private boolean busy;
    private boolean closeWhenIdle;
    private CompositeByteBuf heldInput;

    HttpConnection(Application app, PipelineInitializer pipelines, Set<HttpConnection> openConnections,
                   RequestDeadline deadline) {
        this.app = app;
        this.pipelines = pipelines;
        this.openConnections = openConnections;
        this.deadline = deadline;
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
        if (heldInput != null) {
            heldInput.release();
            heldInput = null;
        }
    }

    /**
     * Event loop: a WebSocket upgrade request arrived, so what follows it on the connection is no longer
     * HTTP: either frames, sent by a client that did not wait for the 101 response, or nothing (a refused
     * upgrade closes the connection). The HTTP decoder is taken out, which hands its leftover bytes on,
     * and from here on raw input is held, with reading paused, until the WebSocket pipeline takes it.
     */
    void holdInputForUpgrade() {
        ctx.channel().config().setAutoRead(false);
        heldInput = ctx.alloc().compositeBuffer();
        ctx.pipeline().get(HttpServerCodec.class).removeInboundHandler();
    }

    /** Event loop: the input held since {@link #holdInputForUpgrade()}, for the WebSocket pipeline. */
    ByteBuf takeHeldInput() {
        ByteBuf held = heldInput;
        heldInput = null;
        return held;
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
        if (heldInput != null && msg instanceof ByteBuf bytes) {
            heldInput.addComponent(true, bytes);
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
        if (request.decoderResult().isFailure()) {
            rejectMalformed(request);
            return;
        }
        if (request.protocolVersion().majorVersion() != 1) {
            respondError(request, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    "This server speaks HTTP/1.1.", true); // RFC 9110 section 15.6.6
            return;
        }
        String target = request.uri();
        String rawPath;
        String rawQuery;
        try {
            if (target.startsWith("/")) {
                int q = target.indexOf('?');
                rawPath = q < 0 ? target : target.substring(0, q);
                rawQuery = q < 0 ? "" : target.substring(q + 1);
            } else if (target.startsWith("http://") || target.startsWith("https://")) {
                URI uri = new URI(target); // absolute form (RFC 9112 section 3.2.2)
                rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
            } else if (target.equals("*") && request.method().equals(HttpMethod.OPTIONS)) {
                respond(request, emptyResponse(HttpResponseStatus.NO_CONTENT), false);
                return;
            } else {
                respondError(request, HttpResponseStatus.BAD_REQUEST, "The request target is not a path.", true);
                return;
            }
        } catch (URISyntaxException e) {
            respondError(request, HttpResponseStatus.BAD_REQUEST, "The request target is malformed.", true);
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
        String path = decodePath(rawPath);
        if (path == null) {
            respondError(request, HttpResponseStatus.BAD_REQUEST, "The request path is malformed.", true);
            return;
        }
        route(request, rawPath, path, rawQuery);
    }

    private void route(FullHttpRequest request, String rawPath, String path, String rawQuery) {
        Router<Endpoint> router = app.router();
        String method = request.method().name();
        if (method.equals("GET") && WebSocketUpgrade.isUpgrade(request)) {
            if (router.route(Router.WEBSOCKET, rawPath) instanceof Router.Found<Endpoint> found) {
                new WebSocketUpgrade(app, pipelines, this, ctx, request, path, rawQuery, found).start();
                return;
            }
        }
        Router.Match<Endpoint> match = router.route(method, rawPath);
        HttpExchange exchange = new HttpExchange(request, app, (InetSocketAddress) ctx.channel().remoteAddress(),
                path, rawQuery);
        switch (match) {
            case Router.Found<Endpoint> found when found.target() instanceof Endpoint.Http http -> {
                exchange.pathParams(found.pathParams());
                runOnVirtualThread(exchange, http.handler()::handle);
            }
            case Router.MethodNotAllowed<Endpoint> notAllowed -> {
                if (method.equals("OPTIONS")) {
                    FullHttpResponse response = emptyResponse(HttpResponseStatus.NO_CONTENT);
                    response.headers().set(HttpHeaderNames.ALLOW, String.join(", ", notAllowed.allowed()));
                    respond(request, response, false);
                } else if (method.equals("GET") && router.route(Router.WEBSOCKET, rawPath) instanceof Router.Found<?>) {
                    FullHttpResponse response = ErrorPages.response(HttpResponseStatus.UPGRADE_REQUIRED,
                            "This address speaks WebSocket: connect with a WebSocket client.");
                    response.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                            .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
                    respond(request, response, false);
                } else {
                    FullHttpResponse response = ErrorPages.response(HttpResponseStatus.METHOD_NOT_ALLOWED,
                            "This address does not accept " + method + " requests.");
                    response.headers().set(HttpHeaderNames.ALLOW, String.join(", ", notAllowed.allowed()));
                    respond(request, response, false);
                }
            }
            default -> serveStaticOrNotFound(request, exchange, method);
        }
    }

    private void serveStaticOrNotFound(FullHttpRequest request, HttpExchange exchange, String method) {
        boolean readOnly = method.equals("GET") || method.equals("HEAD");
        if (!readOnly || app.staticFiles().isEmpty()) {
            respondError(request, HttpResponseStatus.NOT_FOUND, "Nothing is served at this address.", false);
            return;
        }
        runOnVirtualThread(exchange, ctx -> {
            for (StaticFiles files : app.staticFiles()) {
                Optional<StaticFiles.StaticFile> file = files.find(exchange.path());
                if (file.isPresent()) {
                    serveFile(exchange, file.get());
                    return;
                }
            }
            throw new NotFoundException();
        });
    }

    private void serveFile(HttpExchange exchange, StaticFiles.StaticFile file) {
        String lastModified = HTTP_DATE.format(file.lastModified());
        exchange.header("ETag", file.etag())
                .header("Last-Modified", lastModified)
                .header("Cache-Control", "no-cache");
        if (notModified(exchange, file)) {
            exchange.status(304);
            return;
        }
        if (file.content() == null) {
            exchange.file(file.path(), file.length(), file.contentType());
        } else {
            exchange.contentType(file.contentType()).bytes(file.content());
        }
    }

    /** RFC 9110 section 13.1: If-None-Match wins over If-Modified-Since. */
    private static boolean notModified(HttpExchange exchange, StaticFiles.StaticFile file) {
        String ifNoneMatch = exchange.header("If-None-Match");
        if (ifNoneMatch != null) {
            String ours = weak(file.etag());
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || weak(t).equals(ours)) {
                    return true;
                }
            }
            return false;
        }
        String ifModifiedSince = exchange.header("If-Modified-Since");
        if (ifModifiedSince != null) {
            try {
                ZonedDateTime since = ZonedDateTime.parse(ifModifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME);
                return !file.lastModified().isAfter(since.toInstant());
            } catch (DateTimeParseException ignored) {
                return false; // an unreadable date is ignored (RFC 9110 section 13.1.3)
            }
        }
        return false;
    }

    private static String weak(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }

    /** Thrown inside a static-file lookup when no source has the file. */
    private static final class NotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFoundException() {
            super(null, null, false, false);
        }
    }

    // ---------------------------------------------------------------- running user code

    /** Runs the before filters, then {@code handler} unless a filter responded, then the after filters. */
    private void runOnVirtualThread(HttpExchange exchange, Handler handler) {
        String rawPath = rawPathOf(exchange.request());
        VIRTUAL_THREADS.newThread(() -> {
            FullHttpResponse response;
            ChunkedNioFile file = null;
            try {
                if (runFilters(app.beforeFilters(), exchange, rawPath, true)) {
                    handler.handle(exchange);
                }
                runFilters(app.afterFilters(), exchange, rawPath, false);
                response = toResponse(exchange);
                if (exchange.responseFile() != null && !exchange.request().method().equals(HttpMethod.HEAD)
                        && response.status().code() == 200) {
                    file = new ChunkedNioFile(exchange.responseFile().toFile()); // opened here: it may block
                }
            } catch (NotFoundException e) {
                response = ErrorPages.response(HttpResponseStatus.NOT_FOUND, "Nothing is served at this address.");
            } catch (BadRequestException e) {
                log.debug("{} {}: {}", exchange.method(), exchange.path(), e.getMessage());
                response = ErrorPages.response(HttpResponseStatus.BAD_REQUEST, e.getMessage());
            } catch (Throwable t) {
                log.error("{} {} failed; the client gets 500", exchange.method(), exchange.path(), t);
                response = ErrorPages.response(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "The server met an error it could not handle.");
            }
            FullHttpResponse finished = response;
            ChunkedNioFile body = file;
            ctx.executor().execute(() -> respond(exchange.request(), finished, false, body));
        }).start();
    }

    /**
     * Runs the filters that apply to the path; before filters stop at the first one that responds.
     *
     * @return whether the exchange should go on to the handler
     */
    static boolean runFilters(Iterable<Filter> filters, HttpExchange exchange, String rawPath, boolean before)
            throws Exception {
        for (Filter filter : filters) {
            if (filter.applies(rawPath)) {
                filter.handler().handle(exchange);
                if (before && exchange.responded()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static FullHttpResponse toResponse(HttpExchange exchange) {
        byte[] body = exchange.responseBody();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(exchange.status()),
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().set(exchange.responseHeaders());
        if (body == null && exchange.status() == 200) {
            response.setStatus(HttpResponseStatus.NO_CONTENT); // a handler that said nothing
        }
        return response;
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
        FullHttpResponse response = ErrorPages.response(status, explanation);
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        respond(request, response, close);
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
        int length = response.content().readableBytes();
        if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
                && response.status().code() != 204 && response.status().code() != 304) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        if (request.method().equals(HttpMethod.HEAD)) {
            response.content().clear(); // same headers as GET, no body (RFC 9110 section 9.3.2)
        }
        if (!response.headers().contains(HttpHeaderNames.DATE)) {
            response.headers().set(HttpHeaderNames.DATE, HTTP_DATE.format(Instant.now())); // RFC 9110 section 6.6.1
        }
        if (!keepAlive) {
            addConnectionOption(response, HttpHeaderValues.CLOSE);
        } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            // An HTTP/1.0 client keeps the connection only if told so (RFC 9112 appendix C.2.2).
            addConnectionOption(response, HttpHeaderValues.KEEP_ALIVE);
        }
        request.release();
        ChannelFuture written = file == null ? ctx.writeAndFlush(response) : writeStreamed(response, file);
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

    /** Writes the headers of {@code response}, then {@code file} in chunks as the peer takes them. */
    private ChannelFuture writeStreamed(FullHttpResponse response, ChunkedNioFile file) {
        if (ctx.pipeline().get(ChunkedWriteHandler.class) == null) {
            ctx.pipeline().addBefore(ctx.name(), "chunked", new ChunkedWriteHandler());
        }
        HttpResponse head = new DefaultHttpResponse(response.protocolVersion(), response.status(), response.headers());
        response.release();
        ctx.write(head);
        return ctx.writeAndFlush(new HttpChunkedInput(file));
    }

    /**
     * Adds {@code option} to the response's Connection header, keeping those already there: a 426 must
     * still say {@code upgrade} (RFC 9110 section 7.8).
     */
    private static void addConnectionOption(FullHttpResponse response, CharSequence option) {
        String options = response.headers().get(HttpHeaderNames.CONNECTION);
        if (options == null) {
            response.headers().set(HttpHeaderNames.CONNECTION, option);
        } else if (!response.headers().containsValue(HttpHeaderNames.CONNECTION, option, true)) {
            response.headers().set(HttpHeaderNames.CONNECTION, options + ", " + option);
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

    /** The raw path of a request's target, for matching filters. */
    static String rawPathOf(FullHttpRequest request) {
        String target = request.uri();
        if (!target.startsWith("/")) {
            try {
                String p = new URI(target).getRawPath();
                return p == null || p.isEmpty() ? "/" : p;
            } catch (URISyntaxException e) {
                return "/";
            }
        }
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** Percent-decodes a path ('+' stays a plus); null when an escape is malformed or decodes to non-UTF-8. */
    static String decodePath(String rawPath) {
        if (rawPath.indexOf('%') < 0) {
            return rawPath;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                if (i + 2 >= rawPath.length()) {
                    return null;
                }
                int hi = Character.digit(rawPath.charAt(i + 1), 16);
                int lo = Character.digit(rawPath.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        byte[] bytes = out.toByteArray();
        Utf8Validator utf8 = new Utf8Validator();
        if (!utf8.feed(bytes, 0, bytes.length) || !utf8.isComplete()) {
            return null;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
