package io.echowall.jmh;

import java.nio.ByteBuffer;

/** Client-to-server WebSocket frames (RFC 6455 section 5.2), masked as browsers send them. */
final class Frames {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int MASK = 0x37FA213D; // any fixed key: the cost of unmasking does not depend on it

    private Frames() {
    }

    /** One final, masked frame of {@code opcode} carrying {@code payload}, in a direct buffer. */
    static ByteBuffer masked(int opcode, byte[] payload) {
        int n = payload.length;
        int lengthBytes = n < 126 ? 0 : n <= 0xFFFF ? 2 : 8;
        ByteBuffer frame = ByteBuffer.allocateDirect(2 + lengthBytes + 4 + n);
        frame.put((byte) (0x80 | opcode));
        if (lengthBytes == 0) {
            frame.put((byte) (0x80 | n));
        } else if (lengthBytes == 2) {
            frame.put((byte) (0x80 | 126)).putShort((short) n);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(n);
        }
        frame.putInt(MASK);
        for (int i = 0; i < n; i++) {
            frame.put((byte) (payload[i] ^ (MASK >>> (24 - 8 * (i & 3)))));
        }
        return frame.flip();
    }

    /** Where the payload of a frame built by {@link #masked} starts. */
    static int payloadOffset(ByteBuffer frame) {
        int lengthCode = frame.get(1) & 0x7F;
        return 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + 4;
    }
}
