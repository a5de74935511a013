package io.echowall.peers.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * WebSocket echo and fan-out server on raw Netty: the reference every other server in the benchmark
 * is compared with. Standard pipeline, Netty's defaults except the frame size limit; the echo flushes
 * once per read burst, the fan-out broadcasts through a {@link ChannelGroup} as Netty's examples do.
 */
public final class NettyServer {
    private static final String HOST = "127.0.0.1";
    private static final String ECHO_PATH = "/foobar";
    private static final String FANOUT_PATH = "/fanout";
    /** Netty's default (64 KiB) is below the benchmark's 1 MiB messages. */
    private static final int MAX_FRAME_PAYLOAD = 1 << 20;
    /** Only the upgrade request is aggregated and it has no body: this just bounds a bad client. */
    private static final int MAX_HTTP_CONTENT = 64 * 1024;

    private NettyServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = port(args);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverChannel =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, io);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(io); // 2 × cores event loops
        var router = new Router(
                WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(ECHO_PATH)
                        .checkStartsWith(true) // also "/foobar/" (and "/foobar?…"), as the demo's page asks
                        .maxFramePayloadLength(MAX_FRAME_PAYLOAD)
                        .build(),
                WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(FANOUT_PATH)
                        .checkStartsWith(true) // the router matched the path; this lets "?role=publisher" through
                        .maxFramePayloadLength(MAX_FRAME_PAYLOAD)
                        .build(),
                new DefaultChannelGroup("fanout", GlobalEventExecutor.INSTANCE));

        try {
            Channel server = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(serverChannel)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(
                                    new HttpServerCodec(),
                                    new HttpObjectAggregator(MAX_HTTP_CONTENT),
                                    router);
                        }
                    })
                    .bind(HOST, port).sync().channel();
            // SIGTERM: close the listening channel, then let the JVM exit once the loops are down.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close().syncUninterruptibly();
                workers.terminationFuture().syncUninterruptibly();
            }, "shutdown"));
            System.err.println("transport: " + (epoll ? "epoll" : "NIO"));
            System.out.println("ready " + port);
            server.closeFuture().sync();
        } finally {
            boss.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        }
    }

    /** Reads {@code --port N} (default 8080); anything else is a usage error. */
    static int port(String[] args) {
        if (args.length == 0) {
            return 8080;
        }
        if (args.length == 2 && args[0].equals("--port")) {
            int port = Integer.parseInt(args[1]);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        throw new IllegalArgumentException("usage: [--port N], 1 <= N <= 65535; got " + String.join(" ", args));
    }

    /**
     * Looks at the first request's path and puts the WebSocket handlers for it in its own place: the
     * echo for {@value #ECHO_PATH} (and below it), the fan-out for {@value #FANOUT_PATH}; 404 for any
     * other path.
     */
    @Sharable
    static final class Router extends ChannelInboundHandlerAdapter {
        private final WebSocketServerProtocolConfig echoProtocol;
        private final WebSocketServerProtocolConfig fanoutProtocol;
        private final ChannelGroup subscribers;
        private final EchoHandler echo = new EchoHandler();

        Router(WebSocketServerProtocolConfig echoProtocol, WebSocketServerProtocolConfig fanoutProtocol, ChannelGroup subscribers) {
            this.echoProtocol = echoProtocol;
            this.fanoutProtocol = fanoutProtocol;
            this.subscribers = subscribers;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpRequest request)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            var target = new QueryStringDecoder(request.uri());
            var pipeline = ctx.pipeline();
            String path = target.path();
            if (path.equals(ECHO_PATH) || path.startsWith(ECHO_PATH + "/")) {
                pipeline.addAfter(ctx.name(), "echo", echo);
                pipeline.addAfter(ctx.name(), "websocket", new WebSocketServerProtocolHandler(echoProtocol));
            } else if (path.equals(FANOUT_PATH)) {
                boolean publisher = target.parameters().getOrDefault("role", List.of()).contains("publisher");
                pipeline.addAfter(ctx.name(), "fanout", new FanoutHandler(subscribers, publisher));
                pipeline.addAfter(ctx.name(), "aggregator", new WebSocketFrameAggregator(MAX_FRAME_PAYLOAD)); // whole messages
                pipeline.addAfter(ctx.name(), "websocket", new WebSocketServerProtocolHandler(fanoutProtocol));
            } else {
                request.release();
                FullHttpResponse notFound = new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
                notFound.headers()
                        .set(HttpHeaderNames.CONTENT_LENGTH, 0)
                        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            pipeline.remove(this);
            ctx.fireChannelRead(request);
        }
    }

    /**
     * Writes every data frame back as it came (text, binary or continuation, same FIN bit) and
     * flushes once per read burst. Pings, pongs and closes never get here: the protocol handler
     * answers them.
     */
    @Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof WebSocketFrame frame) {
                // The frame's reference passes to the write: no retain, no release, no copy.
                ctx.write(frame, ctx.voidPromise());
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        /** Stops reading while the peer is not taking our writes, so a slow reader cannot fill the heap. */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * The fan-out, as Netty's documentation and examples broadcast: subscribers are kept in a
     * {@link ChannelGroup}, which removes a channel when it closes, and a publisher's message goes to
     * the whole group with {@link ChannelGroup#writeAndFlush}. The frame is encoded once, header and
     * payload in one buffer, and each channel is written a retained duplicate of those bytes (shared,
     * not copied; the frame encoder passes a plain buffer through), then the original is released.
     * No back-pressure: a subscriber that does not read piles up frames in its outbound buffer.
     */
    static final class FanoutHandler extends ChannelInboundHandlerAdapter {
        private final ChannelGroup subscribers;
        private final boolean publisher;

        FanoutHandler(ChannelGroup subscribers, boolean publisher) {
            this.subscribers = subscribers;
            this.publisher = publisher;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete && !publisher) {
                // In the group before "ready": whatever is published after it reaches this subscriber.
                subscribers.add(ctx.channel());
                ctx.writeAndFlush(new TextWebSocketFrame("ready"));
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (publisher && msg instanceof WebSocketFrame frame
                    && (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)) {
                ByteBuf encoded;
                try {
                    encoded = encode(ctx.alloc(), frame);
                } finally {
                    frame.release();
                }
                subscribers.writeAndFlush(encoded);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        /** A server's frame (RFC 6455 §5.2: FIN, the opcode, the length, no mask) carrying {@code frame}'s payload. */
        static ByteBuf encode(ByteBufAllocator alloc, WebSocketFrame frame) {
            ByteBuf payload = frame.content();
            int length = payload.readableBytes();
            int headerLength = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
            ByteBuf out = alloc.directBuffer(headerLength + length);
            out.writeByte(0x80 | (frame instanceof TextWebSocketFrame ? 0x1 : 0x2));
            if (length < 126) {
                out.writeByte(length);
            } else if (length <= 0xFFFF) {
                out.writeByte(126).writeShort(length);
            } else {
                out.writeByte(127).writeLong(length);
            }
            return out.writeBytes(payload, payload.readerIndex(), length);
        }
    }
}
