package io.echowall.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of every message a run sends, so that each echo can be checked exactly.
 *
 * <p>A payload starts with a 16-character lowercase hex header: the 64-bit value
 * {@code connectionId << 40 | sequence}, least significant digit first, so that a payload shorter
 * than the header still carries the low digits of its sequence number, which tell neighbouring
 * messages apart. A body follows, taken from a fixed 64-character alphabet at an offset of
 * {@code 8 * (sequence % 8)}, so neighbouring messages have different bodies. Every byte is ASCII,
 * so the same payload is valid as a text or a binary message.
 */
final class MessageShape {
    static final int HEADER_LENGTH = 16;
    static final int SEQUENCE_BITS = 40;
    static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;
    static final int MAX_CONNECTION_ID = (1 << (64 - SEQUENCE_BITS)) - 1;
    /** Frames are capped well below Integer.MAX_VALUE so a frame always fits one buffer. */
    static final int MAX_SIZE = 64 << 20;
    /** Below this many bytes a comparison is done in place; above, through the JDK's vectorized mismatch. */
    private static final int BULK_COMPARE_BYTES = 256;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_".getBytes(StandardCharsets.US_ASCII);
    /** Bodies start at one of this many long-aligned offsets into the pattern. */
    private static final int BODY_OFFSETS = 8;

    private final int size;
    private final boolean text;
    /** The alphabet repeated; message n's body is {@code pattern[8 * (n % 8), …)}. Shared and never written. */
    private final byte[] pattern;
    /** The same bytes as little-endian longs, for masking eight bytes at a time. */
    private final long[] patternLongs;
    private final ByteBuf patternBuffer;
    private final ByteBuffer patternView;

    MessageShape(int size, boolean text) {
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("message size must be between 0 and " + MAX_SIZE + " bytes: " + size);
        }
        this.size = size;
        this.text = text;
        int longs = BODY_OFFSETS + (Math.max(0, size - HEADER_LENGTH) + 7) / 8;
        this.pattern = new byte[longs * Long.BYTES];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = ALPHABET[i % ALPHABET.length];
        }
        this.patternLongs = new long[longs];
        ByteBuffer.wrap(pattern).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(patternLongs);
        this.patternBuffer = Unpooled.wrappedBuffer(pattern);
        this.patternView = ByteBuffer.wrap(pattern).asReadOnlyBuffer();
    }

    int size() {
        return size;
    }

    boolean text() {
        return text;
    }

    /** The value the hex header of message {@code sequence} on connection {@code connectionId} spells. */
    static long headerValue(int connectionId, long sequence) {
        return (long) connectionId << SEQUENCE_BITS | (sequence & SEQUENCE_MASK);
    }

    /** The value of a hex digit, or -1 if {@code b} is not a lowercase hex digit. */
    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }

    /** Header character {@code position} (0-15) of message {@code sequence} on connection {@code connectionId}. */
    static byte headerByte(int connectionId, long sequence, int position) {
        return HEX[(int) (headerValue(connectionId, sequence) >>> (4 * position)) & 0xF];
    }

    /**
     * The eight hex digits of the low 32 bits of {@code value} as eight ASCII bytes, the least
     * significant digit in the lowest byte (for {@link ByteBuf#writeLongLE}); computed in a register.
     */
    static long hexDigits(long value) {
        long nibbles = value & 0xFFFFFFFFL;
        // Spread the eight nibbles so that byte k holds nibble k.
        nibbles = (nibbles | nibbles << 16) & 0x0000FFFF0000FFFFL;
        nibbles = (nibbles | nibbles << 8) & 0x00FF00FF00FF00FFL;
        nibbles = (nibbles | nibbles << 4) & 0x0F0F0F0F0F0F0F0FL;
        // 1 in each byte whose nibble is above 9, which then needs 'a' - '0' - 10 = 39 more.
        long letters = ((nibbles + 0x0606060606060606L) & 0x1010101010101010L) >>> 4;
        return nibbles + 0x3030303030303030L + letters * 39;
    }

    /**
     * The value that eight hex digits spell, read as {@link ByteBuf#getLongLE} reads them (the least
     * significant digit in the lowest byte): the inverse of {@link #hexDigits}, computed in a register.
     * Returns -1 unless all eight bytes are lowercase hex digits.
     */
    static long hexDigitsValue(long digits) {
        // '0'-'9' are 0x30-0x39 and 'a'-'f' 0x61-0x66: bit 6 marks a letter, whose low nibble needs 9 more.
        long letters = (digits >>> 6) & 0x0101010101010101L;
        long nibbles = (digits & 0x0F0F0F0F0F0F0F0FL) + letters * 9;
        // Gather the nibble of byte k into bits 4k..4k+3.
        nibbles = (nibbles | nibbles >>> 4) & 0x00FF00FF00FF00FFL;
        nibbles = (nibbles | nibbles >>> 8) & 0x0000FFFF0000FFFFL;
        nibbles = (nibbles | nibbles >>> 16) & 0xFFFFFFFFL;
        // Every byte that is not a lowercase hex digit spells something else when encoded back.
        return hexDigits(nibbles) == digits ? nibbles : -1;
    }

    /** The first eight header bytes of message {@code sequence}, as {@link ByteBuf#getLongLE} reads them. */
    static long headerFirstHalf(int connectionId, long sequence) {
        return hexDigits(headerValue(connectionId, sequence));
    }

    /** The last eight header bytes of message {@code sequence}, as {@link ByteBuf#getLongLE} reads them. */
    static long headerSecondHalf(int connectionId, long sequence) {
        return hexDigits(headerValue(connectionId, sequence) >>> 32);
    }

    /** Message {@code sequence}'s body as little-endian longs: {@code bodyLongs()[bodyStart(sequence) + i]} is its i-th eight bytes. */
    long[] bodyLongs() {
        return patternLongs;
    }

    static int bodyStart(long sequence) {
        return (int) (sequence % BODY_OFFSETS);
    }

    /** Byte {@code bodyPosition} of message {@code sequence}'s body. */
    byte bodyByte(long sequence, int bodyPosition) {
        return pattern[bodyStart(sequence) * Long.BYTES + bodyPosition];
    }

    /** Appends the unmasked payload of message {@code sequence} on connection {@code connectionId}. */
    void writePayload(ByteBuf out, int connectionId, long sequence) {
        int headerBytes = Math.min(size, HEADER_LENGTH);
        for (int i = 0; i < headerBytes; i++) {
            out.writeByte(headerByte(connectionId, sequence, i));
        }
        if (size > HEADER_LENGTH) {
            writeBody(out, sequence, size - HEADER_LENGTH);
        }
    }

    /** Appends the first {@code length} bytes (at most {@code size - HEADER_LENGTH}) of message {@code sequence}'s body. */
    void writeBody(ByteBuf out, long sequence, int length) {
        out.writeBytes(pattern, bodyStart(sequence) * Long.BYTES, length);
    }

    /** Whether {@code length} bytes of {@code buffer} at {@code index} equal the body of message {@code sequence} from body position {@code bodyPosition}. */
    boolean bodyMatches(ByteBuf buffer, int index, long sequence, int bodyPosition, int length) {
        int from = bodyStart(sequence) * Long.BYTES + bodyPosition;
        if (length < BULK_COMPARE_BYTES || buffer.nioBufferCount() != 1) {
            return ByteBufUtil.equals(buffer, index, patternBuffer, from, length);
        }
        return buffer.nioBuffer(index, length).mismatch(patternView.slice(from, length)) == -1;
    }
}
