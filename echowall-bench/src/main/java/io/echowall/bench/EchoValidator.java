package io.echowall.bench;

import io.netty.buffer.ByteBuf;

/**
 * Checks, byte by byte as they arrive, that the echoes on one connection are exactly the messages
 * it sent, and places each in the sequence so that loss, duplication and reordering show.
 *
 * <p>Feed one message with {@link #begin}, {@link #accept} (any number of chunks) and {@link #end}.
 * The header names the message; the body must match what that message carried. Payloads shorter
 * than the header carry only the low digits of the sequence number, so they are compared with the
 * next expected message and any ordering fault among them shows as corruption.
 */
final class EchoValidator {

    private final int connectionId;
    private final MessageShape shape;
    private final SequenceTracker tracker = new SequenceTracker();

    private boolean text;
    private long position;
    private long header;
    private boolean headerValid;
    private boolean intact;
    private long sequence;

    EchoValidator(int connectionId, MessageShape shape) {
        this.connectionId = connectionId;
        this.shape = shape;
    }

    /** A message of the given type starts. */
    void begin(boolean text) {
        this.text = text;
        position = 0;
        header = 0;
        headerValid = true;
        intact = true;
        sequence = -1;
    }

    /** The next {@code length} bytes of the message, at {@code index} of {@code buffer}. */
    void accept(ByteBuf buffer, int index, int length) {
        int end = index + length;
        if (position == 0 && length >= MessageShape.HEADER_LENGTH && shape.size() >= MessageShape.HEADER_LENGTH
                && buffer.getLongLE(index) == MessageShape.headerFirstHalf(connectionId, tracker.nextExpected())
                && buffer.getLongLE(index + 8) == MessageShape.headerSecondHalf(connectionId, tracker.nextExpected())) {
            // The usual case, the next message in one piece: compare the whole header at once.
            header = MessageShape.headerValue(connectionId, tracker.nextExpected());
            position = MessageShape.HEADER_LENGTH;
            index += MessageShape.HEADER_LENGTH;
        }
        while (position < MessageShape.HEADER_LENGTH && index < end) {
            int digit = MessageShape.hexValue(buffer.getByte(index++));
            headerValid &= digit >= 0;
            header |= (long) (digit & 0xF) << (4 * position);
            position++;
        }
        int bodyBytes = end - index;
        if (bodyBytes == 0) {
            return;
        }
        long expectedRemaining = shape.size() - position;
        if (bodyBytes > expectedRemaining) {
            intact = false;
        }
        int comparable = (int) Math.max(0, Math.min(bodyBytes, expectedRemaining));
        if (intact && headerValid && comparable > 0) {
            int bodyPosition = (int) (position - MessageShape.HEADER_LENGTH);
            intact = shape.bodyMatches(buffer, index, header & MessageShape.SEQUENCE_MASK, bodyPosition, comparable);
        }
        position += bodyBytes;
    }

    /**
     * The message is complete: identifies it, places it in the sequence and returns where it fell.
     * {@code sent} is how many messages the connection has sent so far.
     */
    Placement end(long sent) {
        intact &= position == shape.size() && text == shape.text();
        if (shape.size() >= MessageShape.HEADER_LENGTH) {
            long claimed = header & MessageShape.SEQUENCE_MASK;
            if (!headerValid || header >>> MessageShape.SEQUENCE_BITS != connectionId || claimed >= sent) {
                intact = false;
                return Placement.UNIDENTIFIED;
            }
            sequence = claimed;
        } else {
            int digits = (int) Math.min(position, MessageShape.HEADER_LENGTH);
            long carried = digits == MessageShape.HEADER_LENGTH ? -1L : (1L << (4 * digits)) - 1;
            long next = tracker.nextExpected();
            long expected = MessageShape.headerValue(connectionId, next) & carried;
            if (!headerValid || header != expected || next >= sent) {
                intact = false;
                return Placement.UNIDENTIFIED;
            }
            sequence = next;
        }
        return tracker.place(sequence);
    }

    /** Whether the last message was byte for byte what was sent. */
    boolean intact() {
        return intact;
    }

    /** The sequence number of the last message, or -1 if it was {@link Placement#UNIDENTIFIED}. */
    long sequence() {
        return sequence;
    }

}
