package io.echowall.websocket;

import io.echowall.Message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads the frames of an uncompressed WebSocket connection from the raw, masked bytes as they arrive,
 * in one pass: each payload is unmasked eight bytes at a time straight into its message's own array,
 * and text is checked as UTF-8 in the same pass, so the first invalid byte fails the connection before
 * the rest of the frame is read (RFC 6455 section 8.1). Fragments are joined as they arrive; a message
 * is handed on whole.
 *
 * <p>A frame that breaks the protocol fails the connection with the violation it is; nothing after it,
 * nor after a close frame, is read. A message's array grows with the bytes that came, at most one
 * read's worth ahead of them, never to the length a header claims before those bytes come.
 */
public final class FrameReader {

    /** What the reader finds, in the order it was sent. */
    public interface Frames {
        /** A complete data message (text already checked). */
        void message(Message message);

        /** A ping with its payload. */
        void ping(byte[] payload);

        /** A pong. */
        void pong();

        /** A close frame with its payload, unchecked. */
        void close(ByteBuffer payload);

        /** The input broke the protocol; nothing more is read. */
        void violation(Closes.Violation violation);
    }

    private static final int CONTINUATION = 0;
    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;
    private static final int MAX_CONTROL_PAYLOAD = 125;
    private static final byte[] EMPTY = new byte[0];
    /** How far a message's array may run ahead of the bytes that came: a stalled peer costs little more than it sent. */
    private static final int ROOM_AHEAD = 16 << 10;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final int maxMessageSize;
    private final Frames frames;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final byte[] header = new byte[14];
    private int headerRead;
    private int headerLength = 2;
    private boolean done;

    // The frame being read.
    private int opcode;
    private boolean finalFrame;
    private int mask;
    private int payloadRead;
    private int payloadRemaining;
    private byte[] control;

    // The data message being read, across its fragments.
    private boolean inMessage;
    private boolean text;
    private byte[] payload = EMPTY;
    private int filled;

    /** A reader of messages up to {@code maxMessageSize} bytes, telling {@code frames} what it finds. */
    public FrameReader(int maxMessageSize, Frames frames) {
        this.maxMessageSize = maxMessageSize;
        this.frames = frames;
    }

    /** Whether the input ended: a violation or a close frame was read, and later bytes are ignored. */
    public boolean isDone() {
        return done;
    }

    /** Reads the bytes from {@code in}'s position to its limit, without moving the position. */
    public void read(ByteBuffer in) {
        int i = in.position();
        int end = in.limit();
        while (i < end && !done) {
            if (headerRead < headerLength) {
                i = readHeader(in, i, end);
                continue;
            }
            int chunk = Math.min(payloadRemaining, end - i);
            if (opcode >= CLOSE) {
                for (int k = 0; k < chunk; k++) {
                    control[payloadRead] = (byte) (in.get(i + k) ^ maskByte(payloadRead));
                    payloadRead++;
                }
            } else if (!readData(in, i, chunk)) {
                fail(Closes.Violation.INVALID_UTF8);
                return;
            }
            i += chunk;
            payloadRemaining -= chunk;
            if (payloadRemaining == 0) {
                endFrame();
            }
        }
    }

    private int readHeader(ByteBuffer in, int i, int end) {
        while (i < end && headerRead < headerLength) {
            header[headerRead++] = in.get(i++);
            if (headerRead == 2) {
                if (!checkOpening()) {
                    return i;
                }
                int lengthCode = header[1] & 0x7F;
                headerLength = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + 4;
            }
        }
        if (headerRead == headerLength && startFrame() && payloadRemaining == 0) {
            endFrame();
        }
        return i;
    }

    /** Checks a frame's first two bytes (RFC 6455 section 5.2) as soon as they came; false if that failed the connection. */
    private boolean checkOpening() {
        int first = header[0] & 0xFF;
        int op = first & 0x0F;
        if ((first & 0x70) != 0 || (header[1] & 0x80) == 0) {
            return fail(Closes.Violation.PROTOCOL); // no extension negotiated; client frames are masked (5.3)
        }
        boolean fin = (first & 0x80) != 0;
        if (op >= CLOSE ? op > PONG || !fin || (header[1] & 0x7F) > MAX_CONTROL_PAYLOAD
                : op > BINARY || (op == CONTINUATION) != inMessage) {
            return fail(Closes.Violation.PROTOCOL); // reserved opcode, long or fragmented control (5.5), 5.4's order
        }
        return true;
    }

    /** Takes the whole header just read; false if its length failed the connection. */
    private boolean startFrame() {
        int first = header[0] & 0xFF;
        int op = first & 0x0F;
        boolean isControl = op >= CLOSE;
        int lengthCode = header[1] & 0x7F;
        long length = lengthCode < 126 ? lengthCode : readLength(lengthCode == 126 ? 2 : 8);
        if (lengthCode == 126 && length < 126 || lengthCode == 127 && length < 65536) {
            return fail(Closes.Violation.PROTOCOL); // lengths use the fewest bytes (5.2); never the top bit
        }
        if (!isControl && length > maxMessageSize - (long) filled) {
            return fail(Closes.Violation.MESSAGE_TOO_BIG);
        }
        opcode = op;
        finalFrame = (first & 0x80) != 0;
        mask = readInt(headerLength - 4);
        payloadRead = 0;
        payloadRemaining = (int) length;
        if (isControl) {
            control = payloadRemaining == 0 ? EMPTY : new byte[payloadRemaining];
        } else if (op != CONTINUATION) {
            inMessage = true;
            text = op == TEXT;
            utf8.reset();
        }
        return true;
    }

    /** Unmasks {@code n} payload bytes into the message, checking text as it goes; false at invalid UTF-8. */
    private boolean readData(ByteBuffer in, int from, int n) {
        ensureRoom(n);
        byte[] dst = payload;
        int d = filled;
        int i = from;
        int end = from + n;
        boolean valid = true;
        while (i < end && (payloadRead & 3) != 0 && valid) {
            byte b = (byte) (in.get(i++) ^ maskByte(payloadRead++));
            dst[d++] = b;
            valid = !text || utf8.feedByte(b);
        }
        long mask8 = (mask & 0xFFFFFFFFL) << 32 | (mask & 0xFFFFFFFFL);
        while (i + 8 <= end && valid) {
            long word = in.getLong(i) ^ mask8;
            LONGS.set(dst, d, word);
            valid = !text || utf8.feedWord(word) < 0;
            i += 8;
            d += 8;
            payloadRead += 8;
        }
        while (i < end && valid) {
            byte b = (byte) (in.get(i++) ^ maskByte(payloadRead++));
            dst[d++] = b;
            valid = !text || utf8.feedByte(b);
        }
        filled = d;
        return valid;
    }

    /**
     * Grows the message's array for {@code n} more bytes: to the frame's end when that much came or is
     * within {@link #ROOM_AHEAD} of it, else at least doubling, so a frame cut by reads is copied a few
     * times at most, and one of up to a read's size is never copied.
     */
    private void ensureRoom(int n) {
        int needed = filled + n;
        if (needed > payload.length) {
            int frameEnd = filled + payloadRemaining;
            int ahead = Math.max(2 * payload.length, filled + ROOM_AHEAD);
            payload = Arrays.copyOf(payload, Math.max(needed, Math.min(frameEnd, ahead)));
        }
    }

    private void endFrame() {
        headerRead = 0;
        headerLength = 2;
        switch (opcode) {
            case PING -> frames.ping(control);
            case PONG -> frames.pong();
            case CLOSE -> {
                done = true; // nothing after a close frame is read (5.5.1)
                frames.close(ByteBuffer.wrap(control));
            }
            default -> {
                if (finalFrame) {
                    endMessage();
                }
            }
        }
        control = null;
    }

    private void endMessage() {
        if (text && !utf8.isComplete()) {
            fail(Closes.Violation.INVALID_UTF8); // the message ends inside a character (8.1)
            return;
        }
        byte[] bytes = filled == payload.length ? payload : Arrays.copyOf(payload, filled);
        inMessage = false;
        payload = EMPTY;
        filled = 0;
        frames.message(Message.wrap(text, bytes));
    }

    private boolean fail(Closes.Violation violation) {
        done = true;
        payload = EMPTY;
        control = null;
        frames.violation(violation);
        return false;
    }

    private int maskByte(int index) {
        return mask >>> (24 - 8 * (index & 3));
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
