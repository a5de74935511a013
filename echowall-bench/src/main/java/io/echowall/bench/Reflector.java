package io.echowall.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
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
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately minimal WebSocket echo server, used only to measure the generator's own ceiling:
 * after the handshake it unmasks each frame in place and sends it straight back, with no UTF-8
 * check, no limit beyond 64 MiB a frame, no frame objects and one flush per read. Not a server to
 * learn from.
 *
 * <p>At {@value #FANOUT_PATH} it keeps the fan-out contract instead, as cheaply: a connection is a
 * subscriber, sent "ready" once it is in the set, unless its query has {@code role=publisher}; the
 * data frames of each read from a publisher are copied once into one buffer, which goes to every
 * subscriber as one shared view, one write and one flush each.
 *
 * <p>Started with a {@link Fault}, it breaks the fan-out contract on purpose, once per publisher, so
 * that a benchmark's smoke run can show that its checks catch a server that loses or reorders.
 */
final class Reflector implements AutoCloseable {
    static final String FANOUT_PATH = "/fanout";
    /** The index of each publisher's message a {@link Fault} breaks: early enough that a smoke run at a low rate reaches it. */
    static final int FAULTY_MESSAGE = 20;

    /** What the fan-out does wrong, on purpose, to message {@value #FAULTY_MESSAGE} of every publisher. */
    enum Fault {
        /** Nothing: the contract is kept. */
        NONE,
        /** The message reaches nobody. */
        DROP,
        /** The message reaches everyone after the publisher's next one. */
        REORDER,
        /** The message reaches everyone twice. */
        DUPLICATE
    }
    private static final int MAX_FRAME = 64 << 20;

    private final EventLoopGroup group;
    private final Channel server;

    private Reflector(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /** Listens on {@code address} (port 0: any free port) with {@code threads} event loops. */
    static Reflector start(InetSocketAddress address, Transport transport, int threads) {
        return start(address, transport, threads, Fault.NONE);
    }

    /** As {@link #start(InetSocketAddress, Transport, int)}, with the fan-out broken by {@code fault}. */
    static Reflector start(InetSocketAddress address, Transport transport, int threads, Fault fault) {
        EventLoopGroup group = transport.newGroup(threads, "reflector");
        Set<Channel> subscribers = ConcurrentHashMap.newKeySet();
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverSocketChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(ClientHandshake.MAX_RESPONSE_BYTES),
                                    new Upgrade(subscribers, fault));
                        }
                    })
                    .bind(address).syncUninterruptibly().channel();
            return new Reflector(group, server);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new BenchException(BenchException.SETUP, "cannot listen on " + address + ": " + e);
        }
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Answers any GET with Upgrade: websocket on any path with 101, then hands the channel to {@link Frames}. */
    private static final class Upgrade extends ChannelInboundHandlerAdapter {
        private static final byte[] READY_FRAME = {(byte) 0x81, 5, 'r', 'e', 'a', 'd', 'y'};
        private final Set<Channel> subscribers;
        private final Fault fault;

        Upgrade(Set<Channel> subscribers, Fault fault) {
            this.subscribers = subscribers;
            this.fault = fault;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpRequest request)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            String key;
            QueryStringDecoder target;
            try {
                key = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
                target = new QueryStringDecoder(request.uri());
            } finally {
                request.release();
            }
            boolean fanout = target.path().equals(FANOUT_PATH);
            boolean publisher = fanout && target.parameters().getOrDefault(FanoutRun.ROLE, List.of()).contains(FanoutRun.PUBLISHER);
            if (key == null) {
                FullHttpResponse refusal = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST, Unpooled.EMPTY_BUFFER);
                ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS, Unpooled.EMPTY_BUFFER);
            response.headers()
                    .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                    .set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, ClientHandshake.expectedAccept(key));
            ChannelPipeline pipeline = ctx.pipeline();
            pipeline.remove(HttpObjectAggregator.class);
            pipeline.replace(this, "frames", new Frames(publisher ? subscribers : null, fault));
            Channel channel = ctx.channel();
            // The codec encodes the 101 and is removed once it is out; a client sends frames only after reading it.
            channel.writeAndFlush(response).addListener(written -> {
                if (!written.isSuccess()) {
                    channel.close();
                    return;
                }
                pipeline.remove(HttpServerCodec.class);
                if (fanout && !publisher) {
                    subscribers.add(channel);
                    channel.closeFuture().addListener(closed -> subscribers.remove(channel));
                    channel.writeAndFlush(Unpooled.wrappedBuffer(READY_FRAME), channel.voidPromise());
                }
            });
        }
    }

    /**
     * Reflects each complete client frame: unmasks the payload in place and sends it back with an
     * unmasked header. Small frames are copied into one batch buffer per read (one write, one
     * contiguous send); large ones go out as slices of the read buffer, uncopied. A publisher's data
     * frames go to every subscriber instead, through one broadcast buffer per read.
     */
    private static final class Frames extends ByteToMessageDecoder {
        private static final int COPY_LIMIT = 1024;
        private static final int BATCH_BYTES = 16384;
        /** Where a publisher's data frames go; null for a connection that is not a publisher. */
        private final Set<Channel> subscribers;
        private final Fault fault;
        private ByteBuf batch;
        private ByteBuf broadcast;
        /** A publisher's data frames so far. */
        private long published;
        /** The frame {@link Fault#REORDER} holds back until the next one has gone. */
        private ByteBuf held;

        Frames(Set<Channel> subscribers, Fault fault) {
            this.subscribers = subscribers;
            this.fault = fault;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (true) {
                int start = in.readerIndex();
                if (in.readableBytes() < 2) {
                    return;
                }
                int first = in.getUnsignedByte(start);
                int second = in.getUnsignedByte(start + 1);
                int lengthCode = second & 0x7F;
                int extended = lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0;
                int maskLength = (second & 0x80) != 0 ? 4 : 0;
                int headerLength = 2 + extended + maskLength;
                if (in.readableBytes() < headerLength) {
                    return;
                }
                long length = switch (extended) {
                    case 2 -> in.getUnsignedShort(start + 2);
                    case 8 -> in.getLong(start + 2);
                    default -> lengthCode;
                };
                if (length < 0 || length > MAX_FRAME) {
                    in.skipBytes(in.readableBytes());
                    ctx.close();
                    return;
                }
                if (in.readableBytes() < headerLength + length) {
                    return;
                }
                int payloadStart = start + headerLength;
                int payloadLength = (int) length;
                if (maskLength > 0) {
                    ClientFrames.mask(in, payloadStart, payloadLength, in.getInt(payloadStart - 4));
                }
                int opcode = first & 0x0F;
                if (subscribers != null && opcode < ClientFrames.CLOSE) {
                    if (broadcast == null) {
                        broadcast = ctx.alloc().directBuffer(BATCH_BYTES);
                    }
                    boolean faulty = published++ == FAULTY_MESSAGE && fault != Fault.NONE;
                    ByteBuf to = faulty && fault == Fault.REORDER ? (held = ctx.alloc().directBuffer()) : broadcast;
                    if (!faulty || fault != Fault.DROP) {
                        int from = to.writerIndex();
                        to.writeByte(first).writeByte(lengthCode);
                        if (extended == 2) {
                            to.writeShort(payloadLength);
                        } else if (extended == 8) {
                            to.writeLong(length);
                        }
                        to.writeBytes(in, payloadStart, payloadLength);
                        if (faulty && fault == Fault.DUPLICATE) {
                            to.writeBytes(to, from, to.writerIndex() - from);
                        }
                    }
                    if (held != null && !faulty) {
                        broadcast.writeBytes(held);
                        held.release();
                        held = null;
                    }
                    in.readerIndex(payloadStart + payloadLength);
                    continue;
                }
                // A ping is answered with a pong carrying the same payload (RFC 6455 §5.5.3).
                int replyFirst = opcode == ClientFrames.PING ? first & 0xF0 | ClientFrames.PONG : first;
                if (payloadLength <= COPY_LIMIT) {
                    ByteBuf to = batch(ctx, 2 + extended + payloadLength);
                    to.writeByte(replyFirst).writeByte(lengthCode);
                    if (extended == 2) {
                        to.writeShort(payloadLength);
                    }
                    to.writeBytes(in, payloadStart, payloadLength);
                } else {
                    // Rewrite the header in place, just before the payload, and send that region as is.
                    int replyStart = payloadStart - 2 - extended;
                    in.setByte(replyStart, replyFirst);
                    in.setByte(replyStart + 1, lengthCode);
                    if (extended == 2) {
                        in.setShort(replyStart + 2, payloadLength);
                    } else {
                        in.setLong(replyStart + 2, length);
                    }
                    writeBatch(ctx);
                    ctx.write(in.retainedSlice(replyStart, 2 + extended + payloadLength), ctx.voidPromise());
                }
                in.readerIndex(payloadStart + payloadLength);
                if (opcode == ClientFrames.CLOSE) {
                    in.skipBytes(in.readableBytes());
                    writeBatch(ctx);
                    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
            }
        }

        private ByteBuf batch(ChannelHandlerContext ctx, int bytes) {
            if (batch != null && batch.writableBytes() < bytes) {
                writeBatch(ctx);
            }
            if (batch == null) {
                batch = ctx.alloc().directBuffer(BATCH_BYTES);
            }
            return batch;
        }

        private void writeBatch(ChannelHandlerContext ctx) {
            if (batch != null) {
                ctx.write(batch, ctx.voidPromise());
                batch = null;
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            writeBatch(ctx);
            ctx.flush();
            if (broadcast != null) {
                ByteBuf frames = broadcast;
                broadcast = null;
                for (Channel subscriber : subscribers) {
                    subscriber.writeAndFlush(frames.retainedDuplicate(), subscriber.voidPromise());
                }
                frames.release();
            }
            super.channelReadComplete(ctx);
        }

        @Override
        protected void handlerRemoved0(ChannelHandlerContext ctx) {
            if (batch != null) {
                batch.release();
                batch = null;
            }
            if (broadcast != null) {
                broadcast.release();
                broadcast = null;
            }
            if (held != null) {
                held.release();
                held = null;
            }
        }
    }
}
