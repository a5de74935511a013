package io.echowall.bench;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.function.IntToLongFunction;

/**
 * A subscriber of a fan-out run: waits for the server's "ready" (its sign that the subscription is
 * in place), then checks every delivery as it arrives (publisher, sequence, body, length, type),
 * records its latency from the publisher's send time, and counts down the publisher's in-flight
 * window. Everything runs on the connection's event loop; nothing is allocated per delivery.
 */
final class FanoutSubscriber extends FanoutConnection {
    /** What a server sends a subscriber once it has joined the room. */
    static final String READY = "ready";
    private static final byte[] READY_BYTES = READY.getBytes(StandardCharsets.US_ASCII);

    private final int id;
    private final FanoutBoard board;
    private final DeliveryCheck check;
    private final IntToLongFunction published;
    private boolean ready;

    FanoutSubscriber(int id, FanoutShape shape, FanoutProtocol protocol, FanoutBoard board) {
        super(protocol);
        this.id = id;
        this.board = board;
        this.check = new DeliveryCheck(shape, protocol, board.publisherCount());
        this.published = board::published;
    }

    @Override
    protected boolean receivingDeliveries() {
        return ready;
    }

    @Override
    protected void onConnected() {
        // Nothing to send: the server subscribes a connection when it opens, then says "ready".
    }

    @Override
    protected void onSessionMessage(boolean text, ByteBuf message) {
        if (text && isReady(message)) {
            ready = true;
            board.subscribed.incrementAndGet();
        } else {
            fail(ErrorCounts.Kind.PROTOCOL, "subscriber " + id + " expected \"" + READY + "\" first, got a "
                    + (text ? "text" : "binary") + " message " + describe(message));
        }
    }

    /** "ready", or the Socket.IO event {@code m} carrying "ready". */
    private boolean isReady(ByteBuf message) {
        byte[] prefix = protocol.prefix();
        byte[] suffix = protocol.suffix();
        if (message.readableBytes() != prefix.length + READY_BYTES.length + suffix.length) {
            return false;
        }
        int at = message.readerIndex();
        for (byte[] part : new byte[][] {prefix, READY_BYTES, suffix}) {
            for (byte b : part) {
                if (message.getByte(at++) != b) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    protected void onDeliveryStart(boolean text) {
        check.begin(text);
    }

    @Override
    protected void onDeliveryPayload(ByteBuf buffer, int index, int length) {
        check.accept(buffer, index, length);
    }

    @Override
    protected void onDeliveryEnd() {
        long now = readAt;
        RunClock clock = board.clock();
        Placement placement = check.end(published, clock == null ? -1 : now - clock.start());
        if (placement == Placement.UNIDENTIFIED) {
            if (protocol == FanoutProtocol.SOCKET_IO && check.was(FanoutProtocol.PING, -1)) {
                answerPing();
            } else if (protocol == FanoutProtocol.SOCKET_IO && check.startedWith(FanoutProtocol.MESSAGE, FanoutProtocol.DISCONNECT)) {
                serverDisconnected();
            } else {
                stats.unidentified++;
                errors.add(ErrorCounts.Kind.CORRUPT, 1, "subscriber " + id + " received a message of " + check.length()
                        + " bytes that names no message published");
            }
            return;
        }
        int publisher = check.publisher();
        long sequence = check.sequence();
        if (!check.intact()) {
            errors.add(ErrorCounts.Kind.CORRUPT, 1, "subscriber " + id + " received a damaged copy of message "
                    + sequence + " of publisher " + publisher);
        }
        switch (placement) {
            case DUPLICATE -> {
                errors.add(ErrorCounts.Kind.DUPLICATED, 1, "subscriber " + id + " received message " + sequence
                        + " of publisher " + publisher + " twice");
                return;
            }
            case LATE -> errors.add(ErrorCounts.Kind.REORDERED, 1, "subscriber " + id + " received message " + sequence
                    + " of publisher " + publisher + " after a later one");
            default -> {
            }
        }
        stats.received++;
        if (clock.measuring(now)) {
            stats.measured++;
        }
        long sentAt = clock.start() + check.sentNanos();
        // Latency counts every delivery of a message published in the window, however late it arrives.
        if (check.intact() && clock.measuring(sentAt)) {
            stats.recordLatency(now - sentAt);
        }
        board.publisher(publisher).delivered(sequence);
    }
}
