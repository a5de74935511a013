package io.echowall.bench;

import io.netty.buffer.ByteBuf;

import java.util.function.IntToLongFunction;

/**
 * Checks, as its bytes arrive, each message one fan-out subscriber receives: its envelope (none, or
 * a Socket.IO event's), its header (publisher, sequence number, send time), its body and its length,
 * and places it in its publisher's sequence so that loss, duplication and reordering show.
 *
 * <p>Feed one message with {@link #begin}, {@link #accept} (any number of chunks) and {@link #end}.
 * The usual case, a whole message in one chunk, reads the header as four longs and compares the body
 * in bulk; nothing is allocated per message. No I/O: the subscriber feeds it what its parser found.
 */
final class DeliveryCheck {
    private final FanoutShape shape;
    private final byte[] prefix;
    private final byte[] suffix;
    /** The length of a whole message: envelope and payload. */
    private final int total;
    private final SequenceTracker[] trackers;
    /** The header, when it arrives in pieces. */
    private final byte[] header = new byte[FanoutShape.HEADER_LENGTH];

    private boolean text;
    private long position;
    private boolean intact;
    private boolean headerValid;
    private int publisher;
    private long sequence;
    private long sentNanos;
    private int firstByte;
    private int secondByte;

    /** Checks messages of {@code shape} in {@code protocol}'s envelope from {@code publishers} publishers. */
    DeliveryCheck(FanoutShape shape, FanoutProtocol protocol, int publishers) {
        this.shape = shape;
        this.prefix = protocol.prefix();
        this.suffix = protocol.suffix();
        this.total = protocol.messageLength(shape.size());
        this.trackers = new SequenceTracker[publishers];
        for (int i = 0; i < publishers; i++) {
            trackers[i] = new SequenceTracker();
        }
    }

    /** A message of the given type starts. */
    void begin(boolean text) {
        this.text = text;
        position = 0;
        intact = true;
        headerValid = false;
        publisher = -1;
        sequence = -1;
        sentNanos = -1;
        firstByte = -1;
        secondByte = -1;
    }

    /** The next {@code length} bytes of the message, at {@code index} of {@code buffer}. */
    void accept(ByteBuf buffer, int index, int length) {
        if (position == 0 && length == total) {
            acceptWhole(buffer, index);
            return;
        }
        int end = index + length;
        int payloadStart = prefix.length;
        int bodyStart = payloadStart + FanoutShape.HEADER_LENGTH;
        int suffixStart = payloadStart + shape.size();
        while (index < end) {
            if (position >= total) {
                intact = false;
                position += end - index;
                return;
            }
            int at = (int) position;
            if (at >= bodyStart && at < suffixStart) {
                int chunk = Math.min(end - index, suffixStart - at);
                if (intact && headerValid) {
                    intact = shape.bodyMatches(buffer, index, sequence, at - bodyStart, chunk);
                }
                index += chunk;
                position += chunk;
                continue;
            }
            byte b = buffer.getByte(index++);
            position++;
            if (at < 2) {
                if (at == 0) {
                    firstByte = b & 0xFF;
                } else {
                    secondByte = b & 0xFF;
                }
            }
            if (at < payloadStart) {
                intact &= b == prefix[at];
            } else if (at < bodyStart) {
                header[at - payloadStart] = b;
                if (at == bodyStart - 1) {
                    readHeader(littleEndian(header, 0), littleEndian(header, 8), littleEndian(header, 16), littleEndian(header, 24));
                }
            } else {
                intact &= b == suffix[at - suffixStart];
            }
        }
    }

    /** The usual case: the whole message in one piece. */
    private void acceptWhole(ByteBuf buffer, int index) {
        firstByte = buffer.getUnsignedByte(index);
        secondByte = total > 1 ? buffer.getUnsignedByte(index + 1) : -1;
        for (int i = 0; i < prefix.length; i++) {
            intact &= buffer.getByte(index + i) == prefix[i];
        }
        int payload = index + prefix.length;
        readHeader(buffer.getLongLE(payload), buffer.getLongLE(payload + 8), buffer.getLongLE(payload + 16),
                buffer.getLongLE(payload + 24));
        if (intact && headerValid) {
            intact = shape.bodyMatches(buffer, payload + FanoutShape.HEADER_LENGTH, sequence, 0, shape.bodyLength());
        }
        int suffixAt = payload + shape.size();
        for (int i = 0; i < suffix.length; i++) {
            intact &= buffer.getByte(suffixAt + i) == suffix[i];
        }
        position = total;
    }

    private void readHeader(long id0, long id1, long time0, long time1) {
        long idLow = MessageShape.hexDigitsValue(id0);
        long idHigh = MessageShape.hexDigitsValue(id1);
        long timeLow = MessageShape.hexDigitsValue(time0);
        long timeHigh = MessageShape.hexDigitsValue(time1);
        if ((idLow | idHigh | timeLow | timeHigh) < 0) {
            return;
        }
        long id = idHigh << 32 | idLow;
        publisher = (int) (id >>> MessageShape.SEQUENCE_BITS);
        sequence = id & MessageShape.SEQUENCE_MASK;
        sentNanos = timeHigh << 32 | timeLow;
        headerValid = true;
    }

    /**
     * The message is complete: identifies it and returns where it falls in its publisher's sequence,
     * or {@link Placement#UNIDENTIFIED} if it names no message published so far. {@code published}
     * tells how many messages each publisher has sent; {@code elapsedNanos} is the time since the run
     * started (no message can have been sent later).
     */
    Placement end(IntToLongFunction published, long elapsedNanos) {
        intact &= position == total && text == shape.text();
        if (!headerValid || publisher >= trackers.length || sequence >= published.applyAsLong(publisher)
                || sentNanos < 0 || sentNanos > elapsedNanos) {
            intact = false;
            return Placement.UNIDENTIFIED;
        }
        return trackers[publisher].place(sequence);
    }

    /** Whether the last message was byte for byte what its publisher sent. */
    boolean intact() {
        return intact;
    }

    /** The publisher the last message names, or -1 if its header was unreadable. */
    int publisher() {
        return publisher;
    }

    /** The sequence number the last message names, or -1 if its header was unreadable. */
    long sequence() {
        return sequence;
    }

    /** When the last message was sent, in nanoseconds since the run started, or -1 if its header was unreadable. */
    long sentNanos() {
        return sentNanos;
    }

    /** The last message's length in bytes. */
    long length() {
        return position;
    }

    /** Whether the last message was exactly the two bytes {@code first second}, or the one byte {@code first} if {@code second} is -1. */
    boolean was(int first, int second) {
        return position == (second < 0 ? 1 : 2) && firstByte == first && secondByte == second;
    }

    /** Whether the last message started with {@code first} (and {@code second}, unless it is -1). */
    boolean startedWith(int first, int second) {
        return firstByte == first && (second < 0 || secondByte == second);
    }

    private static long littleEndian(byte[] bytes, int from) {
        long value = 0;
        for (int i = from + Long.BYTES - 1; i >= from; i--) {
            value = value << 8 | bytes[i] & 0xFF;
        }
        return value;
    }
}
