package io.echowall.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A publisher of a fan-out run: sends numbered, timestamped messages to the server, which must
 * deliver each to every subscriber. It paces itself one of two ways:
 *
 * <ul>
 * <li>at a fixed rate, on the beat of a {@link RateSchedule}: each message carries the time it was
 *     due, so a server (or a socket) that falls behind shows in the latency (no coordinated omission);
 * <li>or as fast as the server delivers, with {@code inFlight} messages' worth of deliveries
 *     outstanding ({@code inFlight × subscribers} deliveries not yet received): each delivery frees
 *     room, so new messages leave while the last ones are still being read and the server always has
 *     work, instead of both sides taking turns. No subscriber may fall more than
 *     {@value #LAG_FACTOR} × {@code inFlight} messages behind: each message has a slot counting its
 *     deliveries still to come, and a slot is reused only once its message reached everyone.
 * </ul>
 *
 * It expects nothing from the server but the protocol's own packets (Socket.IO's open, connect and pings).
 */
final class FanoutPublisher extends FanoutConnection implements RateSchedule.Paced {
    /** How many times {@code inFlight} messages one subscriber may fall behind the newest. */
    static final int LAG_FACTOR = 4;

    private final int id;
    private final FanoutShape shape;
    private final FanoutBoard board;
    private final int inFlight;
    /** Deliveries still to come per recent message, by {@code sequence & slotMask}; null at a fixed rate. */
    private final AtomicIntegerArray remaining;
    private final int slotMask;
    /** Deliveries received so far, from every subscriber. */
    private final AtomicLong deliveries = new AtomicLong();
    /** Whether a task to send more is queued on this loop (for deliveries read on other loops). */
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    /** Messages sent so far, also the next sequence number; written on this loop only, read by subscribers on any. */
    private volatile long published;
    private RunClock clock;
    private RateSchedule schedule;
    private int slot;
    /** Messages whose send time has come (fixed rate); those not yet sent wait for the socket. */
    private long due;

    /** A publisher at a fixed rate (joins a {@link RateSchedule}), or with {@code inFlight} messages in flight if above 0. */
    FanoutPublisher(int id, FanoutShape shape, FanoutProtocol protocol, FanoutBoard board, int inFlight) {
        super(protocol);
        this.id = id;
        this.shape = shape;
        this.board = board;
        this.inFlight = inFlight;
        int slots = inFlight > 0 ? Integer.highestOneBit(LAG_FACTOR * inFlight - 1) << 1 : 0;
        this.remaining = inFlight > 0 ? new AtomicIntegerArray(slots) : null;
        this.slotMask = slots - 1;
    }

    int id() {
        return id;
    }

    long published() {
        return published;
    }

    @Override
    protected boolean receivingDeliveries() {
        return false;
    }

    @Override
    protected void onConnected() {
        board.connectedPublishers.incrementAndGet();
    }

    @Override
    protected void onSessionMessage(boolean text, ByteBuf message) {
        fail(ErrorCounts.Kind.PROTOCOL, "publisher " + id + " received a " + (text ? "text" : "binary") + " message "
                + describe(message) + ": a server sends nothing to publishers");
    }

    /** Starts sending with {@code inFlight} messages in flight; called on the loop when the run starts. */
    void start(RunClock clock) {
        this.clock = clock;
        sendWhatTheWindowAllows();
    }

    /** A subscriber received message {@code sequence} (once); any loop. With in-flight pacing, it frees room in the window. */
    void delivered(long sequence) {
        if (remaining == null) {
            return;
        }
        remaining.decrementAndGet((int) (sequence & slotMask));
        deliveries.incrementAndGet();
        if (eventLoop().inEventLoop()) {
            sendWhatTheWindowAllows();
        } else if (wakeQueued.compareAndSet(false, true)) {
            eventLoop().execute(() -> {
                wakeQueued.set(false);
                sendWhatTheWindowAllows();
            });
        }
    }

    /** Sends as many messages as the window has room for, until the run stops sending, and flushes them. */
    private void sendWhatTheWindowAllows() {
        boolean sent = false;
        // The window first: it is what usually says no, and it is cheaper than reading the clock.
        while (clock != null && deliveries.get() >= (published - inFlight + 1) * board.subscribers()
                && remaining.get((int) (published & slotMask)) == 0) {
            long now = System.nanoTime();
            if (now >= clock.sendUntil() || !canSend()) {
                break;
            }
            publish(now);
            sent = true;
        }
        if (sent) {
            flushIfNeeded();
        }
    }

    @Override
    public void join(RateSchedule schedule, int slot, RunClock clock) {
        this.schedule = schedule;
        this.slot = slot;
        this.clock = clock;
    }

    @Override
    public void dueOne() {
        due++;
        sendDue();
    }

    @Override
    public long backlog() {
        return due - published;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (schedule != null) {
            sendDue();
            flushIfNeeded();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void sendDue() {
        while (published < due && ctx.channel().isWritable() && canSend()) {
            publish(schedule.dueTime(slot, published));
        }
    }

    private boolean canSend() {
        return !closeSent() && isConnected();
    }

    /** Writes the next message, stamped {@code sentAt}; it leaves with the next flush. */
    private void publish(long sentAt) {
        long sequence = published;
        if (remaining != null) {
            // Before the write: a delivery can only follow it.
            remaining.set((int) (sequence & slotMask), board.subscribers());
        }
        shape.writeFrame(batch(protocol.messageLength(shape.size())), protocol, id, sequence, sentAt - clock.start());
        // Before the flush: whoever receives the message must find it counted as published.
        published = sequence + 1;
        stats.sent++;
    }
}
