package io.echowall.bench;

import io.netty.buffer.ByteBuf;

/**
 * A connection that sends numbered messages and checks every echo: its bytes, its place in the
 * sequence and its round-trip time. Subclasses decide when to send and what a message's send time
 * is. Everything runs on the connection's event loop.
 */
abstract class LoadConnection extends WebSocketConnection {
    protected final int id;
    protected final MessageShape shape;
    private final EchoValidator validator;
    /** Set on the loop when sending starts, before any echo can arrive. */
    protected RunClock clock;
    /** Messages sent so far; also the sequence number of the next one. */
    protected long sent;

    LoadConnection(int id, MessageShape shape) {
        this.id = id;
        this.shape = shape;
        this.validator = new EchoValidator(id, shape);
    }

    /** When message {@code sequence} was sent, or was meant to be, in {@link System#nanoTime()} terms. */
    protected abstract long sendTimeOf(long sequence);

    /** Whether the round trip of message {@code sequence}, back at {@code now}, belongs in the latency histogram. */
    protected boolean inLatencyWindow(long sequence, long now) {
        return clock.measuring(now);
    }

    /** A new message has come back (not a duplicate); {@code now} is when it arrived. */
    protected abstract void onEchoed(long now);

    /** Queues the next message; it leaves with the next flush. */
    protected final void sendNext() {
        ClientFrames.writeData(batch(shape.size()), shape, id, sent);
        sent++;
        stats.sent++;
    }

    @Override
    public final void onMessageStart(boolean text) {
        validator.begin(text);
    }

    @Override
    public final void onMessagePayload(ByteBuf buffer, int index, int length) {
        validator.accept(buffer, index, length);
    }

    @Override
    public final void onMessageEnd() {
        if (clock == null) {
            errors.add(ErrorCounts.Kind.PROTOCOL, 1, "connection " + id + " received a message before it sent any");
            return;
        }
        long now = readAt;
        Placement placement = validator.end(sent);
        long sequence = validator.sequence();
        if (!validator.intact()) {
            errors.add(ErrorCounts.Kind.CORRUPT, 1, sequence < 0
                    ? "connection " + id + " received a message it never sent"
                    : "connection " + id + " received a damaged copy of message " + sequence);
        }
        switch (placement) {
            case UNIDENTIFIED -> stats.unidentified++;
            case DUPLICATE -> {
                errors.add(ErrorCounts.Kind.DUPLICATED, 1, "connection " + id + " received message " + sequence + " twice");
                return;
            }
            case LATE -> {
                errors.add(ErrorCounts.Kind.REORDERED, 1, "connection " + id + " received message " + sequence + " after a later one");
                countReceived(now);
            }
            case IN_ORDER, AHEAD -> {
                countReceived(now);
                // A late message's send time may be overwritten already; its latency means little anyway.
                if (validator.intact() && inLatencyWindow(sequence, now)) {
                    stats.recordLatency(now - sendTimeOf(sequence));
                }
            }
        }
        onEchoed(now);
    }

    private void countReceived(long now) {
        stats.received++;
        if (clock.measuring(now)) {
            stats.measured++;
        }
    }
}
