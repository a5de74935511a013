package io.echowall.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Parses the frames a server sends (RFC 6455 §5.2) as bytes arrive, without copying data payloads.
 *
 * <p>Data payloads are handed to the listener in place, chunk by chunk, as they sit in the read
 * buffer: a message may span frames (fragmentation) and a frame may span reads. Control frame
 * payloads (at most 125 bytes) are collected and delivered whole. No I/O: feed it buffers, get
 * callbacks.
 */
final class FrameParser {

    /** Receives what the parser finds, in order. */
    interface Listener {
        /** A data message starts; {@code text} tells its type (opcode 1 or 2). */
        void onMessageStart(boolean text);

        /** The next {@code length} payload bytes of the current message, at {@code index} of {@code buffer}; valid only during the call. */
        void onMessagePayload(ByteBuf buffer, int index, int length);

        /** The current message is complete (its final frame has ended). */
        void onMessageEnd();

        /** A whole control frame: {@code opcode} is close, ping or pong; {@code payload} is valid only during the call. */
        void onControlFrame(int opcode, ByteBuf payload);

        /** The server broke the protocol; the parser ignores everything after this. */
        void onProtocolError(String problem);
    }

    private static final int MAX_CONTROL_PAYLOAD = 125;
    private static final int MAX_HEADER_LENGTH = 10;

    private final Listener listener;
    private final byte[] header = new byte[MAX_HEADER_LENGTH];
    private final ByteBuf controlPayload = Unpooled.buffer(MAX_CONTROL_PAYLOAD, MAX_CONTROL_PAYLOAD);
    private int headerRead;
    private int headerNeeded = 2;
    private boolean readingPayload;
    private long payloadRemaining;
    private int opcode;
    private boolean finalFrame;
    private boolean inMessage;
    private boolean failed;

    FrameParser(Listener listener) {
        this.listener = listener;
    }

    /** Consumes every readable byte of {@code in}. */
    void feed(ByteBuf in) {
        while (!failed && in.isReadable()) {
            if (readingPayload) {
                readPayload(in);
            } else {
                readHeader(in);
            }
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    private void readHeader(ByteBuf in) {
        if (headerRead == 0 && readWholeHeader(in)) {
            return;
        }
        while (headerRead < headerNeeded && in.isReadable()) {
            header[headerRead++] = in.readByte();
        }
        if (headerRead < headerNeeded) {
            return;
        }
        if (headerNeeded == 2) {
            if ((header[1] & 0x80) != 0) {
                fail("the server masked a frame (RFC 6455 §5.1 forbids it)");
                return;
            }
            headerNeeded = headerLength(header[1] & 0x7F);
            if (headerNeeded > 2) {
                return;
            }
        }
        long length = switch (header[1] & 0x7F) {
            case 126 -> (header[2] & 0xFF) << 8 | header[3] & 0xFF;
            case 127 -> bigEndianLong(header, 2);
            default -> header[1] & 0x7F;
        };
        headerRead = 0;
        headerNeeded = 2;
        startFrame(header[0], length);
    }

    /** The usual case: the whole header is in {@code in}, so it is read in place. Returns false if not. */
    private boolean readWholeHeader(ByteBuf in) {
        if (in.readableBytes() < 2) {
            return false;
        }
        int index = in.readerIndex();
        int second = in.getUnsignedByte(index + 1);
        int lengthCode = second & 0x7F;
        int headerLength = headerLength(lengthCode);
        if ((second & 0x80) != 0 || in.readableBytes() < headerLength) {
            // A masked frame takes the slow path, which reports it.
            return false;
        }
        long length = switch (lengthCode) {
            case 126 -> in.getUnsignedShort(index + 2);
            case 127 -> in.getLong(index + 2);
            default -> lengthCode;
        };
        int first = in.getByte(index);
        in.skipBytes(headerLength);
        startFrame(first, length);
        return true;
    }

    private static int headerLength(int lengthCode) {
        return lengthCode == 126 ? 4 : lengthCode == 127 ? 10 : 2;
    }

    private void startFrame(int first, long length) {
        finalFrame = (first & 0x80) != 0;
        opcode = first & 0x0F;
        if ((first & 0x70) != 0) {
            fail("RSV bits set but no extension was negotiated (RFC 6455 §5.2)");
            return;
        }
        if (length < 0) {
            fail("a frame length with the most significant bit set (RFC 6455 §5.2)");
            return;
        }
        switch (opcode) {
            case ClientFrames.CLOSE, ClientFrames.PING, ClientFrames.PONG -> {
                if (!finalFrame || length > MAX_CONTROL_PAYLOAD) {
                    fail("a fragmented or oversized control frame (RFC 6455 §5.5)");
                    return;
                }
            }
            case ClientFrames.TEXT, ClientFrames.BINARY -> {
                if (inMessage) {
                    fail("a new data frame before the previous message ended (RFC 6455 §5.4)");
                    return;
                }
                inMessage = true;
                listener.onMessageStart(opcode == ClientFrames.TEXT);
            }
            case ClientFrames.CONTINUATION -> {
                if (!inMessage) {
                    fail("a continuation frame outside a message (RFC 6455 §5.4)");
                    return;
                }
            }
            default -> {
                fail("reserved opcode " + opcode + " (RFC 6455 §5.2)");
                return;
            }
        }
        payloadRemaining = length;
        readingPayload = true;
        if (length == 0) {
            endFrame();
        }
    }

    private void readPayload(ByteBuf in) {
        int chunk = (int) Math.min(payloadRemaining, in.readableBytes());
        if (isControl()) {
            controlPayload.writeBytes(in, chunk);
        } else {
            listener.onMessagePayload(in, in.readerIndex(), chunk);
            in.skipBytes(chunk);
        }
        payloadRemaining -= chunk;
        if (payloadRemaining == 0) {
            endFrame();
        }
    }

    private void endFrame() {
        readingPayload = false;
        if (isControl()) {
            try {
                listener.onControlFrame(opcode, controlPayload);
            } finally {
                controlPayload.clear();
            }
        } else if (finalFrame) {
            inMessage = false;
            listener.onMessageEnd();
        }
    }

    private boolean isControl() {
        return (opcode & 0x8) != 0;
    }

    private void fail(String problem) {
        failed = true;
        listener.onProtocolError(problem);
    }

    private static long bigEndianLong(byte[] bytes, int from) {
        long value = 0;
        for (int i = from; i < from + Long.BYTES; i++) {
            value = value << 8 | bytes[i] & 0xFF;
        }
        return value;
    }
}
