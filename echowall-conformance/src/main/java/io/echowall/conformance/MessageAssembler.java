package io.echowall.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;

/**
 * Turns the server's frames into {@link Received} events, checking every rule a client can hold a server to;
 * sans-I/O.
 *
 * <p>Reassembles fragmented messages (RFC 6455 section 5.4), inflates compressed ones when permessage-deflate
 * was agreed (RFC 7692 section 6.2), and raises {@link ServerViolation} for reserved opcodes or bits, broken
 * fragmentation, oversized or fragmented control frames, malformed Close frames and frames after Close.
 */
final class MessageAssembler {

    private final Decompressor decompressor;
    private final long maxMessage;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private boolean inMessage;
    private boolean text;
    private boolean compressed;
    private boolean closeReceived;

    /**
     * @param decompressor the agreed permessage-deflate state, or null when no extension was agreed
     * @param maxMessage   the largest message this client accepts (after decompression)
     */
    MessageAssembler(Decompressor decompressor, long maxMessage) {
        this.decompressor = decompressor;
        this.maxMessage = maxMessage;
    }

    /** The event this frame completes, or null when it only continues a fragmented message. */
    Received accept(Frame frame) throws ServerViolation {
        String kind = Opcode.name(frame.opcode());
        if (closeReceived) {
            // RFC 6455 section 5.5.1: after sending a Close frame an endpoint sends no more frames.
            throw new ServerViolation("server sent a " + kind + " frame after its Close frame (RFC 6455 section 5.5.1)");
        }
        if (Opcode.isReserved(frame.opcode())) {
            throw new ServerViolation("server sent a frame with " + kind + " (RFC 6455 section 5.2)");
        }
        return Opcode.isControl(frame.opcode()) ? control(frame, kind) : data(frame, kind);
    }

    private Received control(Frame frame, String kind) throws ServerViolation {
        if (!frame.fin()) {
            throw new ServerViolation("server sent a fragmented " + kind + " frame (RFC 6455 section 5.5)");
        }
        if (frame.payload().length > 125) {
            throw new ServerViolation("server sent a " + kind + " frame of " + frame.payload().length
                    + " bytes; control frames carry at most 125 (RFC 6455 section 5.5)");
        }
        if (frame.rsv() != 0) {
            throw new ServerViolation("server set reserved bits " + frame.rsv() + " on a " + kind
                    + " frame (RFC 6455 section 5.2, RFC 7692 section 6)");
        }
        return switch (frame.opcode()) {
            case Opcode.PING -> new Received.Ping(frame.payload());
            case Opcode.PONG -> new Received.Pong(frame.payload());
            default -> close(frame.payload());
        };
    }

    private Received close(byte[] payload) throws ServerViolation {
        closeReceived = true;
        if (payload.length == 0) {
            return new Received.Close(CloseCodes.NONE, "");
        }
        if (payload.length == 1) {
            throw new ServerViolation("server sent a Close frame with a 1-byte payload (RFC 6455 section 5.5.1)");
        }
        int code = (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        if (!CloseCodes.maySend(code)) {
            throw new ServerViolation("server sent a Close frame with code " + code
                    + ", which no endpoint may send (RFC 6455 section 7.4)");
        }
        try {
            String reason = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload, 2, payload.length - 2)).toString();
            return new Received.Close(code, reason);
        } catch (CharacterCodingException e) {
            throw new ServerViolation("server sent a Close reason that is not valid UTF-8 (RFC 6455 section 5.5.1)");
        }
    }

    private Received data(Frame frame, String kind) throws ServerViolation {
        if (frame.opcode() == Opcode.CONTINUATION) {
            if (!inMessage) {
                throw new ServerViolation("server sent a continuation frame outside a fragmented message (RFC 6455 section 5.4)");
            }
            if (frame.rsv() != 0) {
                throw new ServerViolation("server set reserved bits " + frame.rsv()
                        + " on a continuation frame (RFC 6455 section 5.2, RFC 7692 section 6)");
            }
        } else {
            if (inMessage) {
                throw new ServerViolation("server started a " + kind
                        + " message inside a fragmented message (RFC 6455 section 5.4)");
            }
            boolean compressedFrame = frame.rsv() == Frame.RSV1 && decompressor != null;
            if (frame.rsv() != 0 && !compressedFrame) {
                throw new ServerViolation("server set reserved bits " + frame.rsv()
                        + " without an extension defining them (RFC 6455 section 5.2)");
            }
            inMessage = true;
            text = frame.opcode() == Opcode.TEXT;
            compressed = compressedFrame;
            message.reset();
        }
        if (message.size() + (long) frame.payload().length > maxMessage) {
            throw new ServerViolation("server sent a message larger than the " + maxMessage + " bytes this client accepts");
        }
        message.writeBytes(frame.payload());
        if (!frame.fin()) {
            return null;
        }
        inMessage = false;
        byte[] payload = message.toByteArray();
        if (compressed) {
            try {
                payload = decompressor.decompress(payload, maxMessage);
            } catch (DataFormatException | Decompressor.TooLarge e) {
                throw new ServerViolation("server sent a compressed message that does not inflate: " + e.getMessage()
                        + " (RFC 7692 section 7.2.2)");
            }
        }
        return new Received.Message(text, payload);
    }
}
