package io.echowall.peers.netty;

import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * WebSocket echo server on raw Netty: the ceiling every other server in the benchmark is compared
 * with. Standard pipeline, Netty's defaults except the frame size limit, one flush per read burst.
 */
public final class NettyEchoServer {
    private static final String HOST = "127.0.0.1";
    private static final String PATH = "/foobar";
    /** Netty's default (64 KiB) is below the benchmark's 1 MiB messages. */
    private static final int MAX_FRAME_PAYLOAD = 1 << 20;
    /** Only the upgrade request is aggregated and it has no body: this just bounds a bad client. */
    private static final int MAX_HTTP_CONTENT = 64 * 1024;

    private NettyEchoServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = port(args);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverChannel =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, io);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(io); // 2 × cores event loops
        var echo = new EchoHandler();
        var webSocket = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(PATH)
                .checkStartsWith(true) // also "/foobar/" (and "/foobar?…"), as the demo's page asks
                .maxFramePayloadLength(MAX_FRAME_PAYLOAD)
                .build();

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
                                    new WebSocketServerProtocolHandler(webSocket),
                                    echo);
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
                // Any HTTP request that is not a WebSocket upgrade on PATH.
                ReferenceCountUtil.release(msg);
                FullHttpResponse notFound = new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
                notFound.headers()
                        .set(HttpHeaderNames.CONTENT_LENGTH, 0)
                        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
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
}
