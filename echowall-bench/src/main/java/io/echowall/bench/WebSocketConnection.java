package io.echowall.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One open client WebSocket: parses what the server sends, answers pings and runs the closing
 * handshake (RFC 6455 §7). It expects no data messages; {@link LoadConnection} adds those. All of
 * its state is touched only on its channel's event loop.
 */
class WebSocketConnection extends ChannelInboundHandlerAdapter implements FrameParser.Listener {
    /** Frames start in a batch buffer this large (or one frame's size if larger). */
    private static final int BATCH_BYTES = 8192;

    private final FrameParser parser = new FrameParser(this);
    protected ChannelHandlerContext ctx;
    protected LoopStats stats;
    protected ErrorCounts errors;
    /** When the current read started, in {@link System#nanoTime()} terms: the arrival time of what it holds. */
    protected long readAt;
    private Channel channel;
    private long closeTimeoutNanos;
    /** Frames appended since the last write to the channel, or null. */
    private ByteBuf batch;
    private boolean flushNeeded;
    private boolean closeSent;
    private boolean closeReceived;
    private boolean failed;
    private ScheduledFuture<?> closeTimer;

    /** Ties the connection to its channel, its loop's stats and the run's error counts; called on the loop before the handshake. */
    final void bind(Channel channel, LoopStats stats, ErrorCounts errors, Duration closeTimeout) {
        this.channel = channel;
        this.stats = stats;
        this.errors = errors;
        this.closeTimeoutNanos = closeTimeout.toNanos();
    }

    /** Called on the loop once the handshake has succeeded and this handler owns the channel. */
    void onOpen() {
    }

    /** The loop the connection runs on. */
    public final EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** Completes when the TCP connection has closed, for whatever reason. */
    final ChannelFuture closeFuture() {
        return channel.closeFuture();
    }

    /** Whether the TCP connection is up; safe from any thread. */
    final boolean isConnected() {
        return channel.isActive();
    }

    /** Starts the closing handshake (status 1000) from any thread; the TCP close follows the server's reply or the close timeout. */
    final void close() {
        if (channel.eventLoop().inEventLoop()) {
            startClosingHandshake();
        } else {
            channel.eventLoop().execute(this::startClosingHandshake);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            readAt = System.nanoTime();
            try {
                parser.feed(bytes);
            } finally {
                bytes.release();
            }
        } else {
            // An empty trailer the HTTP codec emitted after the 101 response, before it was removed.
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushIfNeeded();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closeReceived) {
            // A reset after a completed closing handshake loses nothing.
            ctx.close();
            return;
        }
        fail(ErrorCounts.Kind.CLOSED_BY_SERVER, "connection error: " + cause);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (batch != null) {
            batch.release();
            batch = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (closeTimer != null) {
            closeTimer.cancel(false);
        }
        if (!closeReceived && !failed) {
            failed = true;
            if (closeSent) {
                errors.add(ErrorCounts.Kind.CLOSE_INCOMPLETE, 1, "the server dropped the connection instead of answering the close frame");
            } else {
                errors.add(ErrorCounts.Kind.CLOSED_BY_SERVER, 1, "the server dropped the connection without a close frame");
            }
        }
    }

    @Override
    public void onMessageStart(boolean text) {
        errors.add(ErrorCounts.Kind.PROTOCOL, 1, "the server sent a data message nobody asked for");
    }

    @Override
    public void onMessagePayload(ByteBuf buffer, int index, int length) {
    }

    @Override
    public void onMessageEnd() {
    }

    @Override
    public void onControlFrame(int opcode, ByteBuf payload) {
        switch (opcode) {
            case ClientFrames.PING -> {
                if (!closeSent) {
                    ClientFrames.writeFrame(batch(payload.readableBytes()), ClientFrames.PONG, payload);
                }
            }
            case ClientFrames.CLOSE -> onCloseFrame(payload);
            default -> {
                // An unsolicited pong is a valid heartbeat (RFC 6455 §5.5.3): nothing to do.
            }
        }
    }

    @Override
    public void onProtocolError(String problem) {
        fail(ErrorCounts.Kind.PROTOCOL, problem);
    }

    /**
     * The buffer to append a frame with {@code payloadLength} bytes of payload to. Frames are batched
     * so that a burst costs one buffer and one write; they leave at the end of the current read burst
     * or with the next {@link #flushIfNeeded}.
     */
    protected final ByteBuf batch(int payloadLength) {
        int frameLength = ClientFrames.frameLength(payloadLength);
        if (batch != null && batch.writableBytes() < frameLength) {
            writeBatch();
        }
        if (batch == null) {
            batch = ctx.alloc().directBuffer(Math.max(BATCH_BYTES, frameLength));
        }
        flushNeeded = true;
        return batch;
    }

    /**
     * Hands the batch to the channel. The field is cleared first: the write may turn the channel
     * unwritable, and a writability callback that flushes must not find (and write) the same buffer.
     */
    private void writeBatch() {
        ByteBuf full = batch;
        batch = null;
        ctx.write(full, ctx.voidPromise());
    }

    /** Writes the pending batch, if any, and flushes if anything was written since the last flush. */
    public final void flushIfNeeded() {
        if (batch != null) {
            writeBatch();
        }
        if (flushNeeded) {
            flushNeeded = false;
            ctx.flush();
        }
    }

    protected final boolean closeSent() {
        return closeSent;
    }

    private void onCloseFrame(ByteBuf payload) {
        closeReceived = true;
        if (closeSent) {
            // Our close was answered: the closing handshake is complete. The server should now close
            // the TCP connection (RFC 6455 §7.1.1); the close timer still covers one that does not.
            stats.cleanCloses++;
            return;
        }
        int code = payload.readableBytes() >= 2 ? payload.getUnsignedShort(payload.readerIndex()) : 1005;
        errors.add(ErrorCounts.Kind.CLOSED_BY_SERVER, 1, "the server closed a connection with status " + code);
        closeSent = true;
        // Echo the status code back (RFC 6455 §5.5.1), then close: nothing more is expected.
        if (payload.readableBytes() >= 2) {
            ClientFrames.writeClose(batch(2), code);
        } else {
            ClientFrames.writeFrame(batch(0), ClientFrames.CLOSE, payload);
        }
        flushIfNeeded();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void startClosingHandshake() {
        if (closeSent || closeReceived || !channel.isActive()) {
            return;
        }
        closeSent = true;
        ClientFrames.writeClose(batch(2), ClientFrames.NORMAL_CLOSURE);
        flushIfNeeded();
        closeTimer = ctx.executor().schedule(() -> {
            if (!closeReceived && !failed) {
                failed = true;
                errors.add(ErrorCounts.Kind.CLOSE_INCOMPLETE, 1, "no close frame from the server within the close timeout");
            }
            ctx.close();
        }, closeTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Counts the connection's first error, if this is it, and closes the TCP connection. */
    protected final void fail(ErrorCounts.Kind kind, String detail) {
        if (!failed) {
            failed = true;
            errors.add(kind, 1, detail);
        }
        ctx.close();
    }
}
