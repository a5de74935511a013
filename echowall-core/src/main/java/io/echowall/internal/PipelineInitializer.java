package io.echowall.internal;

import io.echowall.EchowallConfig;
import io.echowall.metrics.WebSocketMeters;
import io.echowall.websocket.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/**
 * Builds every pipeline the server uses, in one place: the HTTP pipeline each connection starts with,
 * and the WebSocket pipeline an upgraded connection switches to.
 *
 * <pre>
 * HTTP:       [TLS] → request deadline (408) → HTTP codec → body limit (413) → HttpConnection
 * WebSocket:  frame reader (decode, unmask, UTF-8 check, join fragments) / frame encoder → WebSocketConnection
 * event stream (the fallback of rooms endpoints):
 *             event-stream wire (frames as Server-Sent Events) → WebSocketConnection
 * or, with permessage-deflate:
 *             frame decoder/encoder → reserved-bit rules → message aggregator → inflation pacer
 *             → inflater/deflater → UTF-8 check → WebSocketConnection
 * </pre>
 */
@ChannelHandler.Sharable
final class PipelineInitializer extends ChannelInitializer<Channel> {

    static final String DEADLINE = "deadline";
    static final String HTTP = "http";
    /** Every handler {@link #HTTP} may follow but TLS; "chunked" streams a static file when one was served. */
    private static final List<String> HTTP_HANDLERS = List.of(DEADLINE, "codec", "body", "chunked");
    static final String WS_ENCODER = "wsencoder";
    static final String WS_DECODER = "wsdecoder";

    private final Application app;
    private final Set<Session> liveSessions;
    private final Set<HttpConnection> httpConnections;
    private final SslContext tls;
    private final SendBacklog backlog;
    private final AllowedHosts allowedHosts;
    private final ConnectionLimits limits;
    private final ClientAddress clientAddress;
    private final WebSocketDecoderConfig compressedFrames;

    PipelineInitializer(Application app, Set<Session> liveSessions, Set<HttpConnection> httpConnections,
                        SslContext tls, boolean boundToLoopback) {
        this.app = app;
        this.liveSessions = liveSessions;
        this.httpConnections = httpConnections;
        this.tls = tls;
        this.allowedHosts = AllowedHosts.of(app.config().allowedHosts(), boundToLoopback);
        this.backlog = SendBacklog.forThisJvm(app.config().sendBufferSize());
        this.limits = new ConnectionLimits(app.config());
        this.clientAddress = new ClientAddress(app.config().trustedProxies(), app.config().forwardedHeader());
        this.compressedFrames = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFramePayload(app.config(), true))
                .allowExtensions(true)
                .expectMaskedFrames(true)           // RFC 6455 section 5.1: client frames are masked
                .allowMaskMismatch(false)
                .closeOnProtocolViolation(false)    // WebSocketConnection answers with our own close frame
                .build();
    }

    @Override
    protected void initChannel(Channel channel) {
        EchowallConfig config = app.config();
        if (tls != null) {
            channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
        }
        ConnectionLimits.Refusal overLimit = ConnectionLimits.overLimit(channel);
        RequestDeadline deadline = new RequestDeadline(config.idleTimeout());
        channel.pipeline()
                .addLast(DEADLINE, deadline)
                .addLast("codec", new HttpServerCodec(8192, 16384, 8192))
                .addLast("body", new BodyLimit(config.maxRequestBodySize()))
                .addLast(HTTP, new HttpConnection(app, this, httpConnections, deadline, overLimit));
    }

    /** The limits on connections, WebSockets per address and upgrades per second. */
    ConnectionLimits limits() {
        return limits;
    }

    /** Who the client of a request is, behind trusted proxies. */
    ClientAddress clientAddress() {
        return clientAddress;
    }

    /** The host names requests may name. */
    AllowedHosts allowedHosts() {
        return allowedHosts;
    }

    /** The sessions that are open or whose blocking handler still runs. */
    Set<Session> liveSessions() {
        return liveSessions;
    }

    /**
     * Replaces the HTTP handlers with the WebSocket ones, before the 101 response is written; returns the
     * connection handler the session talks through, counting in {@code meters}.
     */
    WebSocketConnection switchToWebSocket(ChannelPipeline pipeline, WebSocketServerExtension deflate,
                                          InetSocketAddress client, WebSocketMeters meters) {
        EchowallConfig config = app.config();
        removeHttpHandlers(pipeline);
        WebSocketConnection connection = new WebSocketConnection(config.maxMessageSize(), config.sendBufferSize(),
                backlog, client, meters);
        pipeline.addBefore(HTTP, WS_ENCODER, new WebSocket13FrameEncoder(false));
        if (deflate == null) {
            pipeline.addBefore(HTTP, WS_DECODER, new FrameReading(config.maxMessageSize()));
            pipeline.channel().config().setRecvByteBufAllocator(ReadSizes.WHEN_RETURNED);
        } else {
            WebSocket13FrameDecoder decoder = new WebSocket13FrameDecoder(compressedFrames);
            pipeline.addBefore(HTTP, WS_DECODER, decoder);
            // The frame decoder keeps the bytes of a frame cut by a read in one buffer, appending each
            // read: left as it is, that buffer grows to a whole read burst (16 reads) and never shrinks
            // while a frame is always cut in two, as under a steady stream. Dropping consumed bytes after
            // every read keeps it near one read's size.
            decoder.setDiscardAfterReads(1);
            // Compressed messages are joined first and inflated whole: a fragment of compressed
            // data need not inflate to anything on its own. The exact size limit is checked on the
            // inflated message; the aggregator bounds what is buffered before that.
            pipeline.addAfter(WS_DECODER, "rsv", new DeflateFrameRules());
            pipeline.addAfter("rsv", "messages", new WebSocketFrameAggregator(maxFramePayload(config, true)));
            pipeline.addAfter("messages", "pacer", new InflationPacer(connection::pauseForInflation));
            pipeline.addAfter("pacer", "deflate-decoder", deflate.newExtensionDecoder());
            pipeline.addAfter("deflate-decoder", "deflate-encoder", deflate.newExtensionEncoder());
            pipeline.addAfter("deflate-encoder", "utf8", new InflatedTextValidator());
        }
        pipeline.replace(HTTP, "websocket", connection);
        return connection;
    }

    /**
     * Replaces the HTTP handlers with an event stream's: {@code wire} writes the response head, then
     * what the returned connection writes, as events.
     */
    WebSocketConnection switchToEventStream(ChannelPipeline pipeline, EventStreamWire wire, InetSocketAddress client,
                                            WebSocketMeters meters) {
        EchowallConfig config = app.config();
        removeHttpHandlers(pipeline);
        WebSocketConnection connection = new WebSocketConnection(config.maxMessageSize(), config.sendBufferSize(),
                backlog, client, meters);
        pipeline.addBefore(HTTP, "event-stream", wire);
        pipeline.replace(HTTP, "websocket", connection);
        return connection;
    }

    /** Takes out the handlers before {@link #HTTP}, except TLS: what follows on the connection is not HTTP. */
    private static void removeHttpHandlers(ChannelPipeline pipeline) {
        for (String name : HTTP_HANDLERS) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
    }

    /** Event loop: passes raw input into a switched pipeline's first WebSocket handler, as if just read. */
    static void feedWebSocketInput(ChannelPipeline pipeline, ByteBuf input) {
        // From the encoder, which sits right before the decoder: past TLS, which must not see them again.
        pipeline.context(WS_ENCODER).fireChannelRead(input).fireChannelReadComplete();
    }

    /** The largest frame payload to read off the wire: the message limit, plus deflate's worst-case growth. */
    static int maxFramePayload(EchowallConfig config, boolean compressed) {
        int max = config.maxMessageSize();
        return compressed ? (int) Math.min(Integer.MAX_VALUE, max + max / 64L + 1024) : max;
    }

    /**
     * Aggregates request bodies up to the limit. A larger one goes on as a failed request, so that
     * {@link HttpConnection} answers it with 413 in its turn, after the requests pipelined before it.
     */
    private static final class BodyLimit extends HttpObjectAggregator {
        BodyLimit(int maxContentLength) {
            super(maxContentLength);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            HttpRequest request = (HttpRequest) oversized; // a server's pipeline decodes only requests
            FullHttpRequest failed = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                    request.uri(), Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
            failed.setDecoderResult(DecoderResult.failure(new TooLongHttpContentException(
                    "body over " + maxContentLength() + " bytes")));
            ctx.fireChannelRead(failed);
        }
    }
}
