package io.echowall.websocket;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Watches the raw, masked bytes of an uncompressed WebSocket connection as they arrive and finds the
 * first byte that makes a text message invalid UTF-8, so the connection can fail at once (RFC 6455
 * section 8.1) instead of after the rest of the frame or message has been read and buffered.
 *
 * <p>It only observes: framing itself is checked by the frame decoder after it. Frames that decoder
 * rejects by their header (reserved bits or opcodes, unmasked) are skipped here, so they fail with
 * the protocol error they are rather than with 1007.
 */
public final class FrameScanner {

    private static final int OPCODE_CONTINUATION = 0;
    private static final int OPCODE_TEXT = 1;

    private final Utf8Validator utf8 = new Utf8Validator();
    private final byte[] header = new byte[14];
    private int headerRead;
    private int headerLength = 2;
    private long payloadRemaining;
    private int mask;
    private int maskPhase;
    private boolean checkFrame;
    private boolean finalFrame;
    private boolean textMessage;
    private boolean failed;
    private boolean passThrough;

    /** Whether an invalid byte was found; the scanner ignores all input after that. */
    public boolean failed() {
        return failed;
    }

    /**
     * Scans the bytes from {@code in}'s position to its limit, without moving the position.
     * The buffer must be big-endian, as buffers are unless told otherwise.
     *
     * @return how many of those bytes precede the first invalid one: all of them while the input is valid
     */
    public int scan(ByteBuffer in) {
        if (failed) {
            return 0;
        }
        assert in.order() == ByteOrder.BIG_ENDIAN;
        int start = in.position();
        int end = in.limit();
        int i = start;
        while (i < end && !passThrough) {
            if (headerRead < headerLength) {
                i = readHeader(in, i, end);
                if (failed) {
                    return i - 1 - start;
                }
                continue;
            }
            int chunk = (int) Math.min(payloadRemaining, end - i);
            if (checkFrame) {
                int bad = checkPayload(in, i, i + chunk);
                if (bad >= 0) {
                    failed = true;
                    return bad - start;
                }
            }
            i += chunk;
            payloadRemaining -= chunk;
            if (payloadRemaining == 0 && !endFrame()) {
                failed = true;
                return i - 1 - start;
            }
        }
        return end - start;
    }

    private int readHeader(ByteBuffer in, int i, int end) {
        while (i < end && headerRead < headerLength) {
            header[headerRead++] = in.get(i++);
            if (headerRead == 2) {
                int lengthCode = header[1] & 0x7F;
                boolean masked = (header[1] & 0x80) != 0;
                headerLength = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + (masked ? 4 : 0);
            }
        }
        if (headerRead == headerLength) {
            startFrame();
            if (!passThrough && payloadRemaining == 0 && !endFrame()) {
                failed = true;
            }
        }
        return i;
    }

    private void startFrame() {
        int first = header[0] & 0xFF;
        int opcode = first & 0x0F;
        boolean reservedBits = (first & 0x70) != 0;
        boolean masked = (header[1] & 0x80) != 0;
        int lengthCode = header[1] & 0x7F;
        payloadRemaining = lengthCode < 126 ? lengthCode : readLength(lengthCode == 126 ? 2 : 8);
        if (payloadRemaining < 0) {
            passThrough = true; // the decoder fails this frame (1002); nothing here is worth checking
            return;
        }
        mask = masked ? readInt(headerLength - 4) : 0;
        maskPhase = 0;
        finalFrame = (first & 0x80) != 0;
        boolean wellFormed = !reservedBits && masked;
        if (opcode == OPCODE_TEXT && wellFormed) {
            textMessage = true;
            utf8.reset();
        } else if (opcode == OPCODE_CONTINUATION && wellFormed) {
            // a continuation keeps the type of the message it continues
        } else if (opcode < 8) {
            textMessage = false; // binary, or a data frame the decoder will reject
        }
        checkFrame = textMessage && wellFormed && opcode < 8;
    }

    /** Ends the current frame; false if it ended a text message in the middle of a character. */
    private boolean endFrame() {
        boolean ok = true;
        if (checkFrame && finalFrame) {
            ok = utf8.isComplete(); // RFC 6455 section 8.1: the whole message must be valid UTF-8
            textMessage = false;
        }
        headerRead = 0;
        headerLength = 2;
        checkFrame = false;
        return ok;
    }

    /** Unmasks and validates payload bytes; returns the index of the first invalid one, or -1. */
    private int checkPayload(ByteBuffer in, int from, int to) {
        int i = from;
        while (i < to && maskPhase != 0) {
            if (!checkByte(in, i)) {
                return i;
            }
            i++;
        }
        // Eight bytes at a time once aligned to the mask: two whole masks per word, ASCII in one test.
        long mask8 = (mask & 0xFFFFFFFFL) << 32 | (mask & 0xFFFFFFFFL);
        while (i + 8 <= to) {
            int bad = utf8.feedWord(in.getLong(i) ^ mask8);
            if (bad >= 0) {
                return i + bad;
            }
            i += 8;
        }
        while (i < to) {
            if (!checkByte(in, i)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    private boolean checkByte(ByteBuffer in, int i) {
        byte b = (byte) (in.get(i) ^ (mask >>> (24 - 8 * maskPhase)));
        maskPhase = (maskPhase + 1) & 3;
        return utf8.feedByte(b);
    }

    private long readLength(int bytes) {
        long length = 0;
        for (int k = 0; k < bytes; k++) {
            length = length << 8 | (header[2 + k] & 0xFF);
        }
        return length;
    }

    private int readInt(int offset) {
        return (header[offset] & 0xFF) << 24 | (header[offset + 1] & 0xFF) << 16
                | (header[offset + 2] & 0xFF) << 8 | (header[offset + 3] & 0xFF);
    }
}
