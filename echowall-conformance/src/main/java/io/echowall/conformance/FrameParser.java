package io.echowall.conformance;

import java.util.Arrays;

/**
 * Parses the frames a server sends (RFC 6455 section 5.2) from bytes fed in arbitrary pieces; sans-I/O.
 *
 * <p>Checks what belongs to the framing layer: server frames are unmasked, lengths use the minimal encoding and
 * fit in 63 bits. Everything about the meaning of a frame (opcodes, RSV bits, fragmentation) is left to
 * {@link MessageAssembler}.
 */
final class FrameParser {

    private final long maxPayload;
    private byte[] buffer = new byte[8192];
    private int start;
    private int end;

    /** @param maxPayload the largest frame payload accepted, so a broken server cannot exhaust memory */
    FrameParser(long maxPayload) {
        this.maxPayload = maxPayload;
    }

    void feed(byte[] data, int from, int length) {
        if (end + length > buffer.length) {
            int live = end - start;
            if (live + length > buffer.length) {
                buffer = Arrays.copyOfRange(buffer, start, start + Math.max(2 * buffer.length, live + length));
            } else {
                System.arraycopy(buffer, start, buffer, 0, live);
            }
            start = 0;
            end = live;
        }
        System.arraycopy(data, from, buffer, end, length);
        end += length;
    }

    /** The next complete frame, or null when more bytes are needed. */
    Frame next() throws ServerViolation {
        int available = end - start;
        if (available < 2) {
            return null;
        }
        int b0 = buffer[start] & 0xFF;
        int b1 = buffer[start + 1] & 0xFF;
        if ((b1 & 0x80) != 0) {
            throw new ServerViolation("server sent a masked frame (RFC 6455 section 5.1: a server MUST NOT mask)");
        }
        int length7 = b1 & 0x7F;
        int lengthBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        if (available < 2 + lengthBytes) {
            return null;
        }
        long length = length7;
        if (lengthBytes > 0) {
            length = 0;
            for (int i = 0; i < lengthBytes; i++) {
                length = length << 8 | buffer[start + 2 + i] & 0xFF;
            }
            if (length < 0) {
                throw new ServerViolation("server sent a 64-bit length with the most significant bit set (RFC 6455 section 5.2)");
            }
            if (lengthBytes == 2 && length <= 125 || lengthBytes == 8 && length <= 0xFFFF) {
                throw new ServerViolation("server encoded length " + length + " in " + lengthBytes
                        + " bytes; RFC 6455 section 5.2 requires the minimal encoding");
            }
        }
        if (length > maxPayload) {
            throw new ServerViolation("server sent a frame of " + length + " bytes, more than the " + maxPayload
                    + " this client accepts");
        }
        int headerLength = 2 + lengthBytes;
        if (available < headerLength + length) {
            return null;
        }
        int payloadStart = start + headerLength;
        byte[] payload = Arrays.copyOfRange(buffer, payloadStart, payloadStart + (int) length);
        start = payloadStart + (int) length;
        return new Frame((b0 & 0x80) != 0, b0 >> 4 & 0x7, b0 & 0x0F, payload);
    }
}
