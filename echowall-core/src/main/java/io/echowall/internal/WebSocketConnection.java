package io.echowall.internal;

import io.echowall.CloseCode;
import io.echowall.CloseStatus;
import io.echowall.Message;
import io.echowall.WebSocket;
import io.echowall.metrics.WebSocketMeters;
import io.echowall.rooms.Member;
import io.echowall.websocket.Closes;
import io.echowall.websocket.Pause;
import io.echowall.websocket.Protocol;
import io.echowall.websocket.Session;
import io.echowall.websocket.Transport;
import io.echowall.websocket.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/**
 * The last handler of a WebSocket pipeline, and a thin adapter: decoded frames go to the connection's
 * {@link Protocol} as events, the protocol's actions ({@link Wire}) and the session's data writes
 * ({@link Transport}) go to Netty. The rules themselves live in the protocol.
 *
 * <p>Messages of one read burst reach a handler's thread together, at the end of the burst; writes
 * made on the event loop during a read are flushed once then. Writes from other threads wait in an
 * {@link Outbox} that one event-loop task drains per burst, with one flush. No data frame is written
 * after the close frame (RFC 6455 section 5.5.1).
 */
final class WebSocketConnection extends ChannelInboundHandlerAdapter implements Transport, Wire, Member {

    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

    private final int maxMessageSize;
    private final int sendBufferSize;
    private final SendBacklog backlog;
    private final SendOverflow overflow;
    private final InetSocketAddress client;
    private final WebSocketMeters meters;
    private final Outbox outbox = new Outbox();
    private Protocol protocol;
    private Session session;
    private RoomFrames rooms;
    private OutboxWriter outboxWriter;
    private ProtocolTimers timers;
    private ChannelHandlerContext ctx;
    private Channel channel;

    // Event loop only.
    private boolean inRead;
    private boolean flushPending;

    WebSocketConnection(int maxMessageSize, int sendBufferSize, SendBacklog backlog, InetSocketAddress client,
                        WebSocketMeters meters) {
        this.maxMessageSize = maxMessageSize;
        this.sendBufferSize = sendBufferSize;
        this.backlog = backlog;
        this.overflow = new SendOverflow(this, backlog, sendBufferSize);
        this.client = client;
        this.meters = meters;
    }

    /**
     * Binds the protocol and session this connection serves; called once, after it joined the pipeline,
     * before {@link #start}.
     */
    void attach(Protocol protocol, Session session) {
        this.protocol = protocol;
        this.session = session;
        this.rooms = new RoomFrames(ctx, meters, session);
        this.outboxWriter = new OutboxWriter(outbox, ctx, this, sendBufferSize, meters, protocol, session);
        this.timers = new ProtocolTimers(ctx.executor(), protocol);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
    }

    /**
     * Event loop: the handshake response is written; the session opens and reading begins with
     * {@code earlyInput}, what the client sent right behind its upgrade request.
     */
    void start(ByteBuf earlyInput) {
        meters.opened();
        session.opened();
        if (earlyInput.isReadable()) {
            PipelineInitializer.feedWebSocketInput(ctx.pipeline(), earlyInput);
        } else {
            earlyInput.release();
        }
    }

    // ---------------------------------------------------------------- inbound: frames to events

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!inRead) {
            inRead = true;
            session.readBurst(true);
        }
        if (msg instanceof Message message) { // from the frame reader, which checked its size
            meters.received(message.size());
            protocol.messageReceived(message);
            return;
        }
        try {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                ByteBuf content = ((WebSocketFrame) msg).content();
                if (content.readableBytes() > maxMessageSize) {
                    // A single frame inflated past the limit; the aggregator measures fragmented ones.
                    protocol.violation(Closes.MESSAGE_TOO_BIG);
                } else {
                    meters.received(content.readableBytes());
                    protocol.messageReceived(Message.wrap(msg instanceof TextWebSocketFrame, ByteBufUtil.getBytes(content)));
                }
            } else if (msg instanceof PingWebSocketFrame ping) {
                protocol.pingReceived(ByteBufUtil.getBytes(ping.content()));
            } else if (msg instanceof PongWebSocketFrame) {
                protocol.pongReceived();
            } else if (msg instanceof CloseWebSocketFrame close) {
                protocol.closeReceived(close.content().nioBuffer());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (inRead) {
            inRead = false;
            session.readBurst(false); // the burst's messages go to the handler's thread with one wake-up
        }
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Closes.Violation violation = ProtocolErrors.violationFor(cause);
        if (violation == null) {
            log.debug("WebSocket connection {} broke: {}", channel, cause.toString());
            abort();
            return;
        }
        if (violation == Closes.Violation.INTERNAL) {
            log.warn("WebSocket connection {} failed unexpectedly; closing with 1011", channel, cause);
        } else {
            log.debug("WebSocket connection {} failed with {}: {}", channel, violation, cause.toString());
        }
        protocol.violation(violation.status());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (protocol.state() != WebSocket.State.CONNECTING) { // it opened: the handshake response went out
            meters.closed(protocol.closeStatus(), protocol.ownCloseStatus());
        }
        rooms.clear();
        overflow.release();
        session.connectionLost();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = channel.isWritable();
        if (writable) {
            // Below the low-water mark: whatever went past the send buffer has gone out.
            overflow.release();
            rooms.writeBacklog();
        } else {
            for (WebSocketConnection oldest : backlog.fellBehind(this)) {
                oldest.execute(oldest::dropBehind);
            }
        }
        protocol.writabilityChanged(writable);
        session.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    // ---------------------------------------------------------------- Wire: the protocol's actions

    @Override
    public void writePong(byte[] payload) {
        ctx.write(new PongWebSocketFrame(Unpooled.wrappedBuffer(payload)), ctx.voidPromise());
        flushSoon();
    }

    @Override
    public void writePing() {
        ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER), ctx.voidPromise());
    }

    @Override
    public void writeClose(CloseStatus status) {
        outboxWriter.writeAll(); // what handler threads sent before the close goes out before it
        rooms.closeWritten();
        ByteBuf body = Unpooled.EMPTY_BUFFER;
        if (status.code() != CloseCode.NO_STATUS_RECEIVED.code()) {
            // From the channel's pool: Netty's code-and-reason constructor takes an unpooled direct
            // buffer, which a Cleaner frees only after a garbage collection has found it.
            body = ctx.alloc().buffer(2 + ByteBufUtil.utf8Bytes(status.reason()));
            body.writeShort(status.code());
            ByteBufUtil.writeUtf8(body, status.reason());
        }
        ctx.writeAndFlush(new CloseWebSocketFrame(true, 0, body), ctx.voidPromise());
    }

    @Override
    public void shutdownOutput() {
        // Half-close once everything is written, then read to drop until the peer closes its half:
        // closing outright while the peer still sends makes the kernel answer with a reset, and a
        // reset can destroy the close frame before the peer reads it.
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (!channel.isActive()) {
                channel.close();
            } else if (channel instanceof UnixChannel unix && unix.fd() instanceof Socket socket) {
                // The socket itself, which keeps the channel's view of its state: the channel's own
                // half-close builds an exception with its stack trace each time, for the writes it
                // fails, and none can be pending here.
                try {
                    socket.shutdown(false, true);
                } catch (IOException e) {
                    channel.close();
                }
            } else if (channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                channel.close();
            }
        });
    }

    @Override
    public void abort() {
        channel.close();
    }

    @Override
    public void reading(boolean on) {
        channel.config().setAutoRead(on);
    }

    @Override
    public void schedule(Timer timer, Duration delay) {
        timers.schedule(timer, delay);
    }

    @Override
    public void cancel(Timer timer) {
        timers.cancel(timer);
    }

    // ---------------------------------------------------------------- Member: room messages

    @Override
    public Object lane() {
        return ctx.executor();
    }

    /** Event loop: the side of this connection that room fan-out writes to. */
    RoomFrames rooms() {
        return rooms;
    }

    /** Event loop: the server's backlog is over its limit and this peer fell behind first: it goes. */
    private void dropBehind() {
        SlowPeerLog.dropped(channel);
        protocol.drop(Closes.SLOW_PEER);
    }

    /** Event loop: stops or resumes reading while compressed input waits to be inflated. */
    void pauseForInflation(boolean paused) {
        protocol.pause(Pause.INFLATING, paused);
    }

    // ---------------------------------------------------------------- Transport: the session's data

    @Override
    public boolean write(Message message) {
        ByteBuf payload = Unpooled.wrappedBuffer(message.asByteBuffer());
        return writeFrame(message.isText() ? new TextWebSocketFrame(payload) : new BinaryWebSocketFrame(payload));
    }

    @Override
    public boolean writeText(String text) {
        return writeFrame(new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text)));
    }

    private boolean writeFrame(WebSocketFrame frame) {
        if (!ctx.executor().inEventLoop()) {
            if (outbox.offer(frame)) {
                execute(outboxWriter::drain);
            }
            return true;
        }
        if (protocol.closeWritten()) {
            frame.release(); // RFC 6455 section 5.5.1: nothing may follow the close frame
            return true;
        }
        if (!channel.isWritable() && !overflow.admit(frame.content().readableBytes())) {
            frame.release();
            return false;
        }
        meters.sent(frame.content().readableBytes());
        ctx.write(frame, ctx.voidPromise());
        flushSoon();
        return true;
    }

    /** Flushes now, or at the end of the read burst in progress. */
    private void flushSoon() {
        if (inRead) {
            flushPending = true;
        } else {
            ctx.flush();
        }
    }

    /** Whether what waits for the network, in the channel and in the outbox together, is within the send buffer. */
    @Override
    public boolean isWritable() {
        return bufferedAmount() <= sendBufferSize;
    }

    @Override
    public long bufferedAmount() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return (buffer == null ? 0 : buffer.totalPendingWriteBytes()) + outbox.bytes();
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
    public InetSocketAddress remoteAddress() {
        return client;
    }
}
