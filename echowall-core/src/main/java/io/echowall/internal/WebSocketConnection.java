package io.echowall.internal;

import io.echowall.CloseCode;
import io.echowall.CloseStatus;
import io.echowall.Message;
import io.echowall.websocket.Session;
import io.echowall.websocket.Transport;
import io.echowall.websocket.Utf8Validator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of a WebSocket pipeline: turns frames into session events, answers pings, keeps
 * the connection alive, and carries the session's writes to the network. It is the session's
 * {@link Transport}.
 *
 * <p>Writes made on the event loop while a read is in progress are flushed once at the end of the read
 * burst. Writes from other threads (handlers on virtual threads) wait in an outbox that one event-loop
 * task drains per burst, with one flush: a task and a flush per message would cost several times more.
 * No data frame is written after the close frame (RFC 6455 section 5.5.1).
 */
final class WebSocketConnection extends ChannelInboundHandlerAdapter implements Transport {

    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);
    private static final VarHandle OUTBOX;
    private static final VarHandle OUTBOX_BYTES;
    private static final VarHandle DRAIN_SCHEDULED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OUTBOX = lookup.findVarHandle(WebSocketConnection.class, "outbox", Queue.class);
            OUTBOX_BYTES = lookup.findVarHandle(WebSocketConnection.class, "outboxBytes", long.class);
            DRAIN_SCHEDULED = lookup.findVarHandle(WebSocketConnection.class, "drainScheduled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration closeTimeout;
    private final int maxMessageSize;
    private final int sendBufferSize;
    private final OverflowBudget overflowBudget;

    // Frames written from other threads wait here and go out in one event-loop task per burst: one
    // task and one flush for many messages, instead of one of each per message. Created on the first
    // such write: connections served on the event loop never need it.
    private volatile Queue<WebSocketFrame> outbox;
    private volatile long outboxBytes;
    private volatile boolean drainScheduled;
    private Session session;
    private ChannelHandlerContext ctx;
    private Channel channel;

    // Event loop only.
    private boolean reading;
    private boolean flushPending;
    private boolean closeWritten;
    private boolean closing;
    private boolean inputEnded;
    private boolean readSinceCheck;
    private boolean pingOutstanding;
    private boolean sessionWantsInput = true;
    private boolean inflationPaused;
    private ByteBuf unansweredPing;
    private long overflow;
    private ScheduledFuture<?> keepalive;
    private ScheduledFuture<?> closeDeadline;

    WebSocketConnection(Duration pingInterval, Duration pingTimeout, Duration closeTimeout, int maxMessageSize,
                        int sendBufferSize, OverflowBudget overflowBudget) {
        this.pingInterval = pingInterval;
        this.pingTimeout = pingTimeout;
        this.closeTimeout = closeTimeout;
        this.maxMessageSize = maxMessageSize;
        this.sendBufferSize = sendBufferSize;
        this.overflowBudget = overflowBudget;
    }

    /** Binds the session this connection serves; called once, before {@link #start}. */
    void attach(Session session) {
        this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
    }

    /**
     * Event loop: the handshake response is written; the session opens, keepalive starts, and reading
     * begins with {@code earlyInput}, what the client sent right behind its upgrade request.
     */
    void start(ByteBuf earlyInput) {
        scheduleKeepalive(pingInterval);
        session.opened();
        if (earlyInput.isReadable()) {
            PipelineInitializer.feedWebSocketInput(ctx.pipeline(), earlyInput);
        } else {
            earlyInput.release();
        }
        updateReading();
    }

    // ---------------------------------------------------------------- inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        readSinceCheck = true;
        pingOutstanding = false;
        try {
            if (closing || inputEnded) {
                // RFC 6455 sections 5.5.1 and 7.1.7: nothing after the peer's close or a violation is
                // processed; while lingering after the close, input is read only to be dropped.
                return;
            }
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                WebSocketFrame frame = (WebSocketFrame) msg;
                ByteBuf content = frame.content();
                if (content.readableBytes() > maxMessageSize) {
                    // A single frame that permessage-deflate inflated past the limit; fragmented
                    // messages are measured by the aggregator.
                    session.fail(ProtocolErrors.MESSAGE_TOO_BIG);
                    return;
                }
                session.messageReceived(Message.wrap(frame instanceof TextWebSocketFrame, ByteBufUtil.getBytes(content)));
            } else if (msg instanceof PingWebSocketFrame ping) {
                answer(ping);
            } else if (msg instanceof CloseWebSocketFrame close) {
                inputEnded = true;
                closeReceived(close);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * Answers a ping with a pong carrying its payload (RFC 6455 section 5.5.3). While the peer is not
     * taking what it is sent, only the latest ping is remembered and answered once it does, which
     * section 5.5.3 allows: a ping flood from a peer that never reads cannot queue pongs without end.
     */
    private void answer(PingWebSocketFrame ping) {
        if (closeWritten) {
            return;
        }
        if (unansweredPing != null) {
            unansweredPing.release();
            unansweredPing = null;
        }
        if (channel.isWritable()) {
            ctx.write(new PongWebSocketFrame(ping.content().retain()), ctx.voidPromise());
            flushPending = true;
        } else {
            unansweredPing = ping.content().retain();
        }
    }

    private void closeReceived(CloseWebSocketFrame close) {
        ByteBuf content = close.content();
        if (content.readableBytes() < 2) {
            session.closeReceived(null); // no status code: 1005 locally, an empty close back
            return;
        }
        int code = content.getUnsignedShort(content.readerIndex());
        if (!CloseCode.isSendable(code)) {
            session.fail(ProtocolErrors.INVALID_CLOSE_CODE); // RFC 6455 section 7.4.1: reserved or undefined
            return;
        }
        int reasonStart = content.readerIndex() + 2;
        int reasonLength = content.readableBytes() - 2;
        Utf8Validator utf8 = new Utf8Validator();
        if (!utf8.feed(content.nioBuffer(reasonStart, reasonLength)) || !utf8.isComplete()) {
            session.fail(ProtocolErrors.INVALID_UTF8); // RFC 6455 section 5.5.1: the reason is UTF-8
            return;
        }
        session.closeReceived(new CloseStatus(code, content.toString(reasonStart, reasonLength, StandardCharsets.UTF_8)));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        CloseStatus status = ProtocolErrors.closeStatusFor(cause);
        if (status == null) {
            log.debug("WebSocket connection {} broke: {}", channel, cause.toString());
            ctx.close();
        } else if (inputEnded) {
            log.debug("WebSocket connection {} failed again after its input ended: {}", channel, cause.toString());
        } else {
            inputEnded = true; // RFC 6455 section 7.1.7: nothing after the violation may be processed
            if (ProtocolErrors.isPeerFault(cause)) {
                log.debug("WebSocket connection {} failed with {}: {}", channel, status, cause.toString());
            } else {
                log.warn("WebSocket connection {} failed unexpectedly; closing with 1011", channel, cause);
            }
            session.fail(status);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (keepalive != null) {
            keepalive.cancel(false);
        }
        if (closeDeadline != null) {
            closeDeadline.cancel(false);
        }
        if (unansweredPing != null) {
            unansweredPing.release();
            unansweredPing = null;
        }
        overflowBudget.release(overflow);
        overflow = 0;
        session.disconnected();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable()) {
            // Below the low-water mark: whatever went past the send buffer has gone out.
            overflowBudget.release(overflow);
            overflow = 0;
            if (unansweredPing != null && !closeWritten) {
                ctx.writeAndFlush(new PongWebSocketFrame(unansweredPing), ctx.voidPromise());
                unansweredPing = null;
            }
        }
        updateReading();
        session.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Event loop: reads while the session has room for input, the peer takes what it is sent, and no
     * inflated input waits; a closing connection reads only to drop. A peer that stops reading thus
     * stops being read: its pings and messages push back on TCP, not on the server's memory.
     */
    private void updateReading() {
        boolean on = closing || sessionWantsInput && channel.isWritable() && !inflationPaused;
        channel.config().setAutoRead(on);
    }

    /** Event loop: stops or resumes reading while queued compressed input is being worked through. */
    void pauseForInflation(boolean paused) {
        inflationPaused = paused;
        updateReading();
    }

    // ---------------------------------------------------------------- keepalive

    private void scheduleKeepalive(Duration delay) {
        keepalive = ctx.executor().schedule(this::checkAlive, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Pings a peer that went quiet, and drops one that stays quiet after the ping. */
    private void checkAlive() {
        if (!channel.isActive()) {
            return;
        }
        if (readSinceCheck) {
            readSinceCheck = false;
            scheduleKeepalive(pingInterval);
        } else if (!pingOutstanding) {
            pingOutstanding = true;
            if (!closeWritten) {
                ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER), ctx.voidPromise());
            }
            scheduleKeepalive(pingTimeout);
        } else {
            log.debug("WebSocket peer {} did not answer a ping within {}; dropping it", channel, pingTimeout);
            ctx.close();
        }
    }

    // ---------------------------------------------------------------- outbound: Transport

    @Override
    public boolean write(Message message) {
        boolean text = message.isText();
        ByteBuf payload = Unpooled.wrappedBuffer(message.asByteBuffer());
        return writeFrame(text ? new TextWebSocketFrame(payload) : new BinaryWebSocketFrame(payload));
    }

    @Override
    public boolean writeText(String text) {
        return writeFrame(new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text)));
    }

    private boolean writeFrame(WebSocketFrame frame) {
        if (ctx.executor().inEventLoop()) {
            if (closeWritten) {
                frame.release();
                return true;
            }
            if (!channel.isWritable() && !admitOverflow(frame.content().readableBytes())) {
                frame.release();
                return false;
            }
            ctx.write(frame, ctx.voidPromise());
            if (reading) {
                flushPending = true;
            } else {
                ctx.flush();
            }
        } else {
            OUTBOX_BYTES.getAndAdd(this, (long) frame.content().readableBytes());
            outbox().offer(frame);
            if (DRAIN_SCHEDULED.compareAndSet(this, false, true)) {
                execute(this::drainOutbox);
            }
        }
        return true;
    }

    /**
     * Event loop, the send buffer full: whether {@code bytes} more may be queued past it. An event-loop
     * sender cannot wait, so it may go past the buffer by at most one more buffer's worth (always by one
     * message), and only while the server-wide budget for such overflow lasts.
     */
    private boolean admitOverflow(long bytes) {
        if (overflow > 0 && overflow + bytes > sendBufferSize || !overflowBudget.tryReserve(bytes)) {
            return false;
        }
        overflow += bytes;
        return true;
    }

    private Queue<WebSocketFrame> outbox() {
        Queue<WebSocketFrame> queue = outbox;
        if (queue == null) {
            OUTBOX.compareAndSet(this, null, new ConcurrentLinkedQueue<WebSocketFrame>());
            queue = outbox;
        }
        return queue;
    }

    /** Event loop: writes what other threads queued, then flushes once. */
    private void drainOutbox() {
        Queue<WebSocketFrame> queue = outbox;
        if (queue == null) {
            return;
        }
        drainScheduled = false;
        long drained = 0;
        WebSocketFrame frame;
        while ((frame = queue.poll()) != null) {
            drained += frame.content().readableBytes();
            if (closeWritten) {
                frame.release(); // RFC 6455 section 5.5.1: nothing may follow the close frame
            } else {
                ctx.write(frame, ctx.voidPromise());
            }
        }
        long left = (long) OUTBOX_BYTES.getAndAdd(this, -drained) - drained;
        ctx.flush();
        if (left + drained > sendBufferSize) {
            session.writabilityChanged(); // a sender may wait on the outbox, not on the channel
        }
    }

    /** Whether what waits for the network, in the channel and in the outbox together, is within bounds. */
    @Override
    public boolean isWritable() {
        return channel.isWritable() && bufferedAmount() <= sendBufferSize;
    }

    @Override
    public long bufferedAmount() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return (buffer == null ? 0 : buffer.totalPendingWriteBytes()) + outboxBytes;
    }

    @Override
    public void writeClose(CloseStatus status) {
        drainOutbox(); // what handler threads sent before the close goes out before it
        CloseWebSocketFrame frame = status.code() == CloseCode.NO_STATUS_RECEIVED.code()
                ? new CloseWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER)
                : new CloseWebSocketFrame(status.code(), status.reason());
        ctx.writeAndFlush(frame, ctx.voidPromise());
        closeWritten = true;
        armCloseDeadline();
    }

    /**
     * From the first close frame written or the first request to close, the connection has the close
     * timeout to end; then it is cut, whether or not what was queued went out. A peer that stopped
     * reading can hold a close frame (and a graceful shutdown) back for ever.
     */
    private void armCloseDeadline() {
        if (closeDeadline == null) {
            closeDeadline = ctx.executor().schedule(() -> {
                channel.close();
            }, closeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Closes the connection once everything queued, the close frame included, is written: first our
     * half (FIN), then the whole once the peer closes its half or the close timeout passes. Until then
     * input is read and dropped; closing outright while the peer still sends would make the kernel
     * answer with a reset, and a reset can destroy the close frame before the peer reads it.
     */
    @Override
    public void closeConnection() {
        if (closing) {
            return;
        }
        closing = true;
        armCloseDeadline();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
                channel.close();
                return;
            }
            duplex.shutdownOutput();
            updateReading(); // read on, to drop, until the peer closes its half or the deadline passes
        });
    }

    @Override
    public void setReading(boolean on) {
        sessionWantsInput = on;
        updateReading();
    }

    @Override
    public boolean inEventLoop() {
        return ctx.executor().inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException stopped) {
            // The server stopped and its event loops with it: the connection is gone, nothing is left to do.
        }
    }

    @Override
    public Runnable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> future = ctx.executor().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }
}
