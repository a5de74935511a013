package io.echowall.bench;

import io.netty.buffer.ByteBuf;

/**
 * The bytes of every message a fan-out run publishes, so that each delivery can be identified,
 * timed and checked.
 *
 * <p>A payload starts with a 32-character lowercase hex header: first the 64-bit value
 * {@code publisher << 40 | sequence} (the {@link MessageShape} header, with the publisher in place of
 * the connection), then the send time in nanoseconds since the run started, each least significant
 * digit first. The body that follows is {@link MessageShape}'s pattern at an offset that depends on
 * the sequence number. Every byte is ASCII with no quote or backslash, so the same payload is valid
 * text, binary, or a JSON string.
 */
final class FanoutShape {
    static final int HEADER_LENGTH = 32;
    /** Publishers fit the header's 24-bit connection field; far more than any run needs. */
    static final int MAX_PUBLISHERS = MessageShape.MAX_CONNECTION_ID + 1;

    private final int size;
    private final boolean text;
    /** Holds the body pattern: its own 16-byte header is the first half of ours, so its body is our body. */
    private final MessageShape body;

    FanoutShape(int size, boolean text) {
        if (size < HEADER_LENGTH || size > MessageShape.MAX_SIZE) {
            throw new IllegalArgumentException("a fan-out message takes between " + HEADER_LENGTH + " and "
                    + MessageShape.MAX_SIZE + " bytes: " + size);
        }
        this.size = size;
        this.text = text;
        this.body = new MessageShape(size - HEADER_LENGTH + MessageShape.HEADER_LENGTH, text);
    }

    int size() {
        return size;
    }

    boolean text() {
        return text;
    }

    int bodyLength() {
        return size - HEADER_LENGTH;
    }

    /**
     * Appends one masked frame (RFC 6455 §5.3) carrying message {@code sequence} of {@code publisher},
     * sent {@code sentNanos} after the run started, wrapped as {@code protocol} wants it.
     */
    void writeFrame(ByteBuf out, FanoutProtocol protocol, int publisher, long sequence, long sentNanos) {
        int length = protocol.messageLength(size);
        int maskingKey = ClientFrames.newMaskingKey();
        int payloadStart = ClientFrames.writeHeader(out, text ? ClientFrames.TEXT : ClientFrames.BINARY, length, maskingKey);
        out.writeBytes(protocol.prefix());
        out.writeLongLE(MessageShape.headerFirstHalf(publisher, sequence));
        out.writeLongLE(MessageShape.headerSecondHalf(publisher, sequence));
        out.writeLongLE(MessageShape.hexDigits(sentNanos));
        out.writeLongLE(MessageShape.hexDigits(sentNanos >>> 32));
        body.writeBody(out, sequence, bodyLength());
        out.writeBytes(protocol.suffix());
        ClientFrames.mask(out, payloadStart, length, maskingKey);
    }

    /** Whether {@code length} bytes at {@code index} equal message {@code sequence}'s body from {@code bodyPosition}. */
    boolean bodyMatches(ByteBuf buffer, int index, long sequence, int bodyPosition, int length) {
        return body.bodyMatches(buffer, index, sequence, bodyPosition, length);
    }
}
