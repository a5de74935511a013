package io.echowall.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fan-out server on Netty's own server codec (independent of the generator's), keeping the
 * fan-out contract in plain WebSocket or, speaking just enough Engine.IO v4 and Socket.IO, as a
 * Socket.IO server would (open packet, namespace connect, events, one ping per client). It can break
 * one delivery to the first subscriber on purpose, so the tests can check that the generator notices.
 * One event loop: its state needs no locks.
 */
final class TestFanoutServer implements AutoCloseable {

    /** What the server does to the {@link #FAULTY_DELIVERY}-th delivery to its first subscriber. */
    enum Fault {
        NONE,
        /** Flips a bit in the last payload byte. */
        CORRUPT,
        /** Never delivers it. */
        DROP,
        /** Delivers it after the next one. */
        REORDER,
        /** Delivers it twice. */
        DUPLICATE,
        /** Not a delivery fault: never says "ready" to anyone. */
        NEVER_READY
    }

    static final int FAULTY_DELIVERY = 10;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Fault fault;
    private final boolean socketIo;
    private final List<Channel> subscribers = new ArrayList<>();
    private final AtomicInteger pongs = new AtomicInteger();
    private final Channel server;
    private int deliveriesToFirst;
    private WebSocketFrame held;

    TestFanoutServer(Fault fault, boolean socketIo) {
        this.fault = fault;
        this.socketIo = socketIo;
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(socketIo ? "/socket.io/" : "/fanout")
                .checkStartsWith(true)
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
                                new WebSocketServerProtocolHandler(config), new Room());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    String url() {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        return socketIo ? "ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket" : "ws://127.0.0.1:" + port + "/fanout";
    }

    /** Engine.IO pongs received: one per client that answered the ping sent once it connected. */
    int pongs() {
        return pongs.get();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.submit(() -> ReferenceCountUtil.release(held)).awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private void subscribe(Channel channel) {
        if (fault == Fault.NEVER_READY) {
            return;
        }
        subscribers.add(channel);
        channel.closeFuture().addListener(closed -> subscribers.remove(channel));
        channel.writeAndFlush(new TextWebSocketFrame(socketIo ? "42[\"m\",\"ready\"]" : "ready"));
    }

    private void broadcast(WebSocketFrame frame) {
        for (int i = 0; i < subscribers.size(); i++) {
            Channel subscriber = subscribers.get(i);
            if (i > 0 || ++deliveriesToFirst != FAULTY_DELIVERY) {
                subscriber.write(frame.retainedDuplicate());
                if (i == 0 && held != null) {
                    subscriber.write(held);
                    held = null;
                }
            } else {
                deliverFaultily(subscriber, frame.retainedDuplicate());
            }
            subscriber.flush();
        }
        frame.release();
    }

    private void deliverFaultily(Channel subscriber, WebSocketFrame frame) {
        switch (fault) {
            case CORRUPT -> {
                ByteBuf copy = frame.content().copy();
                frame.release();
                int last = copy.writerIndex() - 1;
                copy.setByte(last, copy.getByte(last) ^ 1);
                subscriber.write(frame instanceof TextWebSocketFrame ? new TextWebSocketFrame(copy) : new BinaryWebSocketFrame(copy));
            }
            case DROP -> frame.release();
            case REORDER -> held = frame;
            case DUPLICATE -> {
                subscriber.write(frame.retainedDuplicate());
                subscriber.write(frame);
            }
            case NONE, NEVER_READY -> subscriber.write(frame);
        }
    }

    private final class Room extends ChannelInboundHandlerAdapter {
        private boolean publisher;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
                publisher = new QueryStringDecoder(handshake.requestUri()).parameters()
                        .getOrDefault("role", List.of()).contains("publisher");
                if (socketIo) {
                    ctx.writeAndFlush(new TextWebSocketFrame(
                            "0{\"sid\":\"s\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"));
                } else if (!publisher) {
                    subscribe(ctx.channel());
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            WebSocketFrame frame = (WebSocketFrame) msg;
            if (socketIo && frame instanceof TextWebSocketFrame text && !text.text().startsWith("42")) {
                String packet = text.text();
                frame.release();
                if (packet.equals("40")) {
                    ctx.write(new TextWebSocketFrame("40{\"sid\":\"n\"}"));
                    if (!publisher) {
                        subscribe(ctx.channel());
                    }
                    ctx.writeAndFlush(new TextWebSocketFrame("2"));
                } else if (packet.equals("3")) {
                    pongs.incrementAndGet();
                }
                return;
            }
            if (publisher) {
                broadcast(frame);
            } else {
                frame.release();
            }
        }

    }
}
