package io.echowall.internal;

import io.echowall.EchowallConfig;
import io.echowall.websocket.Session;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.channel.ChannelFutureListener;

import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Builds every pipeline the server uses, in one place: the HTTP pipeline each connection starts with,
 * and the WebSocket pipeline an upgraded connection switches to.
 *
 * <pre>
 * HTTP:       idle timeout → HTTP codec → body limit (413) → HttpConnection
 * WebSocket:  [fail-fast UTF-8] → frame decoder/encoder → [deflate → inflated-text check]
 *             → message aggregator (over the limit: 1009) → WebSocketConnection
 * </pre>
 */
@ChannelHandler.Sharable
final class PipelineInitializer extends ChannelInitializer<Channel> {

    static final String IDLE = "idle";
    static final String HTTP = "http";
    static final String WS_DECODER = "wsdecoder"; // the name Netty's handshaker gives its frame decoder

    private final Application app;
    private final Set<Session> liveSessions;
    private final Set<HttpConnection> httpConnections;

    PipelineInitializer(Application app, Set<Session> liveSessions, Set<HttpConnection> httpConnections) {
        this.app = app;
        this.liveSessions = liveSessions;
        this.httpConnections = httpConnections;
    }

    @Override
    protected void initChannel(Channel channel) {
        EchowallConfig config = app.config();
        channel.pipeline()
                .addLast(IDLE, new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("codec", new HttpServerCodec(8192, 16384, 8192))
                .addLast("body", new BodyLimit(config.maxRequestBodySize()))
                .addLast(HTTP, new HttpConnection(app, this, httpConnections));
    }

    /** The sessions that are open or whose blocking handler still runs. */
    Set<Session> liveSessions() {
        return liveSessions;
    }

    /**
     * Replaces the HTTP handlers with the WebSocket ones, right after the handshaker installed its frame
     * codec; returns the connection handler the session talks through.
     */
    WebSocketConnection switchToWebSocket(ChannelPipeline pipeline, WebSocketServerExtension deflate) {
        EchowallConfig config = app.config();
        pipeline.remove(IDLE);
        WebSocketConnection connection = new WebSocketConnection(config.pingInterval(), config.pingTimeout());
        if (deflate == null) {
            pipeline.addBefore(WS_DECODER, "utf8", new FailFastUtf8Handler());
        } else {
            // Inbound they run decoder → inflater → text check; outbound the deflater runs before the encoder.
            pipeline.addAfter(WS_DECODER, "deflate-decoder", deflate.newExtensionDecoder());
            pipeline.addAfter("deflate-decoder", "deflate-encoder", deflate.newExtensionEncoder());
            pipeline.addAfter("deflate-encoder", "utf8", new InflatedTextValidator());
        }
        pipeline.addBefore(HTTP, "messages", new WebSocketFrameAggregator(config.maxMessageSize()));
        pipeline.replace(HTTP, "websocket", connection);
        return connection;
    }

    /** The largest frame payload to read off the wire: the message limit, plus deflate's worst-case growth. */
    static int maxFramePayload(EchowallConfig config, boolean compressed) {
        int max = config.maxMessageSize();
        return compressed ? (int) Math.min(Integer.MAX_VALUE, max + max / 64L + 1024) : max;
    }

    /** Rejects bodies over the limit with our 413 page, then closes: the rest is not worth reading. */
    private static final class BodyLimit extends HttpObjectAggregator {
        BodyLimit(int maxContentLength) {
            super(maxContentLength);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            FullHttpResponse response = ErrorPages.response(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "The request body is larger than this server accepts.");
            response.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
