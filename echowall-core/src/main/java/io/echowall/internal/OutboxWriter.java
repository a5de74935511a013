package io.echowall.internal;

import io.echowall.metrics.WebSocketMeters;
import io.echowall.websocket.Protocol;
import io.echowall.websocket.Session;
import io.echowall.websocket.Transport;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.concurrent.TimeUnit;

/**
 * Writes one {@link WebSocketConnection}'s {@link Outbox} to the channel on the event loop: what other
 * threads queued goes out with one flush per drain, each drain bounded to a turn's worth of work.
 */
final class OutboxWriter {

    /** Time one outbox drain may take before the rest waits for the loop's next turn. */
    private static final long DRAIN_BUDGET_NANOS = 1_000_000;

    private final Outbox outbox;
    private final ChannelHandlerContext ctx;
    private final Transport transport;
    private final int sendBufferSize;
    private final WebSocketMeters meters;
    private final Protocol protocol;
    private final Session session;

    OutboxWriter(Outbox outbox, ChannelHandlerContext ctx, Transport transport, int sendBufferSize,
                 WebSocketMeters meters, Protocol protocol, Session session) {
        this.outbox = outbox;
        this.ctx = ctx;
        this.transport = transport;
        this.sendBufferSize = sendBufferSize;
        this.meters = meters;
        this.protocol = protocol;
        this.session = session;
    }

    /**
     * Event loop: writes what other threads queued, then flushes once, for at most a turn's worth of
     * work; the rest in the next turn. After the close, drops it instead.
     */
    void drain() {
        if (protocol.closeWritten()) {
            outbox.drainTo(WebSocketFrame::release, Long.MAX_VALUE); // nothing may follow the close frame
        } else if (!write(DRAIN_BUDGET_NANOS)) {
            ctx.executor().schedule(this::drain, 0, TimeUnit.NANOSECONDS); // after the next round of I/O
        }
    }

    /** Event loop: writes all that other threads queued, then flushes, as the close frame is about to follow. */
    void writeAll() {
        write(Long.MAX_VALUE);
    }

    /** Event loop: writes what other threads queued, for at most {@code budgetNanos}, then flushes; whether all went. */
    private boolean write(long budgetNanos) {
        long before = transport.bufferedAmount();
        boolean emptied = outbox.drainTo(frame -> {
            meters.sent(frame.content().readableBytes());
            ctx.write(frame, ctx.voidPromise());
        }, budgetNanos);
        ctx.flush();
        if (before > sendBufferSize) {
            session.writabilityChanged(); // a sender may have waited on the outbox, not on the channel
        }
        return emptied;
    }
}
