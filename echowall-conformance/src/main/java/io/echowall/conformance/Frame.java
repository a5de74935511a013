package io.echowall.conformance;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One WebSocket frame as the suite sends or receives it, deliberately able to carry anything the wire can:
 * reserved bits, reserved opcodes, control frames without FIN, oversized control payloads.
 *
 * @param fin     the FIN bit
 * @param rsv     the three reserved bits as a number: RSV1 = 4, RSV2 = 2, RSV3 = 1
 * @param opcode  the 4-bit opcode
 * @param payload the unmasked payload
 */
record Frame(boolean fin, int rsv, int opcode, byte[] payload) {

    static final int RSV1 = 4;
    static final int RSV2 = 2;
    static final int RSV3 = 1;

    Frame {
        if (rsv < 0 || rsv > 7 || opcode < 0 || opcode > 15) {
            throw new IllegalArgumentException("rsv " + rsv + " / opcode " + opcode + " out of range");
        }
    }

    static Frame text(String text) {
        return text(text.getBytes(StandardCharsets.UTF_8));
    }

    static Frame text(byte[] payload) {
        return new Frame(true, 0, Opcode.TEXT, payload);
    }

    static Frame binary(byte[] payload) {
        return new Frame(true, 0, Opcode.BINARY, payload);
    }

    static Frame continuation(byte[] payload, boolean fin) {
        return new Frame(fin, 0, Opcode.CONTINUATION, payload);
    }

    static Frame ping(byte[] payload) {
        return new Frame(true, 0, Opcode.PING, payload);
    }

    static Frame pong(byte[] payload) {
        return new Frame(true, 0, Opcode.PONG, payload);
    }

    /** A close frame carrying a status code and a reason (RFC 6455 section 5.5.1). */
    static Frame close(int code, String reason) {
        return close(code, reason.getBytes(StandardCharsets.UTF_8));
    }

    /** A close frame with raw reason bytes, so invalid UTF-8 can be sent. */
    static Frame close(int code, byte[] reason) {
        return new Frame(true, 0, Opcode.CLOSE,
                ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason).array());
    }

    static Frame closeWithoutCode() {
        return new Frame(true, 0, Opcode.CLOSE, new byte[0]);
    }

    /**
     * A message cut into frames of {@code size} payload bytes (the last may be shorter; an empty payload gives
     * one frame); {@code rsv} goes on the first frame only.
     */
    static List<Frame> fragments(int opcode, int rsv, byte[] payload, int size) {
        var frames = new ArrayList<Frame>();
        int offset = 0;
        do {
            int end = Math.min(payload.length, offset + size);
            frames.add(new Frame(end == payload.length, offset == 0 ? rsv : 0, offset == 0 ? opcode : Opcode.CONTINUATION,
                    Arrays.copyOfRange(payload, offset, end)));
            offset = end;
        } while (offset < payload.length);
        return frames;
    }

    Frame withFin(boolean newFin) {
        return new Frame(newFin, rsv, opcode, payload);
    }

    Frame withRsv(int newRsv) {
        return new Frame(fin, newRsv, opcode, payload);
    }

    @Override
    public String toString() {
        return Opcode.name(opcode) + " frame (fin=" + fin + ", rsv=" + rsv + ", " + payload.length + " bytes)";
    }
}
