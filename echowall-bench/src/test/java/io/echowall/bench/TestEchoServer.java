package io.echowall.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket echo server on Netty's own server codec (an implementation independent of the
 * generator's), serving {@code /foobar} on 127.0.0.1. It pings every client once, counts the pongs,
 * can echo in two fragments, and can break one message on purpose, so the tests can check that the
 * generator notices; everything else it echoes faithfully.
 */
final class TestEchoServer implements AutoCloseable {

    /** What the server does to the {@link #FAULTY_MESSAGE}-th data message it receives. */
    enum Fault {
        NONE,
        /** Flips a bit in the last payload byte. */
        CORRUPT_BODY,
        /** Flips a bit in the first payload byte (the header that names the message). */
        CORRUPT_HEADER,
        /** Never echoes it. */
        DROP,
        /** Echoes it after the next message on the same connection. */
        REORDER,
        /** Echoes it twice. */
        DUPLICATE,
        /** Closes that connection with 1001 instead of echoing. */
        CLOSE
    }

    static final int FAULTY_MESSAGE = 10;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Fault fault;
    private final boolean fragmenting;
    private final AtomicInteger dataMessages = new AtomicInteger();
    private final AtomicInteger pongs = new AtomicInteger();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final Set<String> clientAddresses = ConcurrentHashMap.newKeySet();
    private final Channel server;

    TestEchoServer(Fault fault) {
        this(fault, false);
    }

    /** {@code fragmenting}: echo each message as two frames, its first half and a continuation. */
    TestEchoServer(Fault fault, boolean fragmenting) {
        this.fault = fault;
        this.fragmenting = fragmenting;
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/foobar")
                .checkStartsWith(true)
                .maxFramePayloadLength(1 << 20)
                .dropPongFrames(false)
                .build();
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(config), new Echo());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    String url() {
        return "ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/foobar/";
    }

    int handshakes() {
        return handshakes.get();
    }

    /** Pongs received: one per client that answered the ping sent after its handshake. */
    int pongs() {
        return pongs.get();
    }

    /** The source addresses clients connected from. */
    Set<String> clientAddresses() {
        return clientAddresses;
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private final class Echo extends ChannelInboundHandlerAdapter {
        private WebSocketFrame held;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                handshakes.incrementAndGet();
                clientAddresses.add(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress());
                ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest request) {
                request.release();
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (msg instanceof PongWebSocketFrame pong) {
                pongs.incrementAndGet();
                pong.release();
                return;
            }
            if (!(msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            WebSocketFrame frame = (WebSocketFrame) msg;
            if (dataMessages.incrementAndGet() != FAULTY_MESSAGE) {
                echo(ctx, frame);
                if (held != null) {
                    ctx.write(held);
                    held = null;
                }
                return;
            }
            ByteBuf payload = frame.content();
            switch (fault) {
                case NONE -> ctx.write(frame);
                case CORRUPT_BODY -> {
                    int last = payload.writerIndex() - 1;
                    payload.setByte(last, payload.getByte(last) ^ 1);
                    ctx.write(frame);
                }
                case CORRUPT_HEADER -> {
                    payload.setByte(payload.readerIndex(), payload.getByte(payload.readerIndex()) ^ 1);
                    ctx.write(frame);
                }
                case DROP -> frame.release();
                case REORDER -> held = frame;
                case DUPLICATE -> {
                    ctx.write(frame.retainedDuplicate());
                    ctx.write(frame);
                }
                case CLOSE -> {
                    frame.release();
                    ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            }
        }

        private void echo(ChannelHandlerContext ctx, WebSocketFrame frame) {
            ByteBuf payload = frame.content();
            if (!fragmenting || !frame.isFinalFragment()) {
                ctx.write(frame);
                return;
            }
            int half = payload.readableBytes() / 2;
            WebSocketFrame first = frame instanceof TextWebSocketFrame
                    ? new TextWebSocketFrame(false, 0, payload.retainedSlice(payload.readerIndex(), half))
                    : new BinaryWebSocketFrame(false, 0, payload.retainedSlice(payload.readerIndex(), half));
            ctx.write(first);
            ctx.write(new ContinuationWebSocketFrame(true, 0, payload.retainedSlice(payload.readerIndex() + half, payload.readableBytes() - half)));
            frame.release();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (held != null) {
                held.release();
                held = null;
            }
            ctx.fireChannelInactive();
        }
    }
}
