package io.echowall.conformance;

import java.security.SecureRandom;

/** Encodes frames to wire bytes (RFC 6455 section 5.2); sans-I/O. */
final class FrameEncoder {

    private static final SecureRandom RANDOM = new SecureRandom();

    private FrameEncoder() {
    }

    /** A fresh masking key; RFC 6455 section 5.3 asks for one unpredictable key per frame. */
    static byte[] newMaskKey() {
        var key = new byte[4];
        RANDOM.nextBytes(key);
        return key;
    }

    /** Encodes a client frame masked with a fresh random key (RFC 6455 section 5.1: clients mask every frame). */
    static byte[] masked(Frame frame) {
        return encode(frame, newMaskKey());
    }

    /** Encodes a frame; {@code maskKey} null sends it unmasked (what a server does, and a client must not). */
    static byte[] encode(Frame frame, byte[] maskKey) {
        byte[] header = header(frame.fin(), frame.rsv(), frame.opcode(), frame.payload().length, maskKey);
        var wire = new byte[header.length + frame.payload().length];
        System.arraycopy(header, 0, wire, 0, header.length);
        System.arraycopy(frame.payload(), 0, wire, header.length, frame.payload().length);
        if (maskKey != null) {
            mask(wire, header.length, frame.payload().length, maskKey, 0);
        }
        return wire;
    }

    /** The frame header, with the length in its minimal form (RFC 6455 section 5.2) and the key if masked. */
    static byte[] header(boolean fin, int rsv, int opcode, long length, byte[] maskKey) {
        int lengthBytes = length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
        var header = new byte[2 + lengthBytes + (maskKey == null ? 0 : 4)];
        header[0] = (byte) ((fin ? 0x80 : 0) | rsv << 4 | opcode);
        int maskBit = maskKey == null ? 0 : 0x80;
        if (lengthBytes == 0) {
            header[1] = (byte) (maskBit | length);
        } else {
            header[1] = (byte) (maskBit | (lengthBytes == 2 ? 126 : 127));
            for (int i = 0; i < lengthBytes; i++) {
                header[2 + i] = (byte) (length >>> 8 * (lengthBytes - 1 - i));
            }
        }
        if (maskKey != null) {
            System.arraycopy(maskKey, 0, header, 2 + lengthBytes, 4);
        }
        return header;
    }

    /**
     * XORs {@code length} bytes in place with the key (RFC 6455 section 5.3); {@code keyOffset} is the payload
     * position of {@code data[from]}, so a payload can be (un)masked in pieces.
     */
    static void mask(byte[] data, int from, int length, byte[] key, long keyOffset) {
        for (int i = 0; i < length; i++) {
            data[from + i] ^= key[(int) ((keyOffset + i) & 3)];
        }
    }
}
