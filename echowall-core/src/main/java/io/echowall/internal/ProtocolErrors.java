package io.echowall.internal;

import io.echowall.CloseCode;
import io.echowall.CloseStatus;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;

import java.io.IOException;

/**
 * The one place that decides which close code an error on a WebSocket connection earns. Reasons are
 * fixed short texts, never exception messages, so nothing internal reaches the peer.
 */
final class ProtocolErrors {

    static final CloseStatus PROTOCOL_ERROR = new CloseStatus(CloseCode.PROTOCOL_ERROR, "protocol error");
    static final CloseStatus INVALID_UTF8 = new CloseStatus(CloseCode.INVALID_PAYLOAD_DATA, "invalid UTF-8");
    static final CloseStatus INVALID_COMPRESSED_DATA =
            new CloseStatus(CloseCode.INVALID_PAYLOAD_DATA, "invalid compressed data");
    static final CloseStatus MESSAGE_TOO_BIG = new CloseStatus(CloseCode.MESSAGE_TOO_BIG, "message too big");
    static final CloseStatus INTERNAL_ERROR = new CloseStatus(CloseCode.INTERNAL_ERROR, "internal error");
    static final CloseStatus INVALID_CLOSE_CODE = new CloseStatus(CloseCode.PROTOCOL_ERROR, "invalid close code");

    /** What Netty's zlib decoder says when a message inflates past the limit; pinned by a test. */
    private static final String DECOMPRESSION_LIMIT = "Decompression buffer has reached maximum size";

    private ProtocolErrors() {
    }

    /**
     * The status to fail the connection with, or null when the connection itself broke (reset, closed)
     * and no close frame can or need be sent.
     */
    static CloseStatus closeStatusFor(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof IOException) {
            return null;
        }
        if (cause instanceof InvalidTextException) {
            return INVALID_UTF8;
        }
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            return switch (corrupted.closeStatus().code()) {
                case 1007 -> INVALID_UTF8;
                case 1009 -> MESSAGE_TOO_BIG;
                default -> PROTOCOL_ERROR;
            };
        }
        if (cause instanceof TooLongFrameException) {
            return MESSAGE_TOO_BIG; // the frame aggregator: the message outgrew maxMessageSize
        }
        if (cause instanceof DecompressionException) {
            String message = cause.getMessage();
            return message != null && message.startsWith(DECOMPRESSION_LIMIT) ? MESSAGE_TOO_BIG : INVALID_COMPRESSED_DATA;
        }
        if (cause instanceof CodecException) {
            return INVALID_COMPRESSED_DATA; // the permessage-deflate decoder's other complaints
        }
        return INTERNAL_ERROR;
    }

    /** Whether the error is the peer's doing (logged quietly) rather than the server's (logged loudly). */
    static boolean isPeerFault(Throwable error) {
        return closeStatusFor(error) != INTERNAL_ERROR;
    }

    /** The first error in the cause chain that says what went wrong; decoders wrap what they call. */
    private static Throwable unwrap(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof InvalidTextException
                    || t instanceof CorruptedWebSocketFrameException || t instanceof TooLongFrameException
                    || t instanceof DecompressionException) {
                return t;
            }
        }
        return error;
    }
}
