package io.echowall.internal;

import io.echowall.websocket.Closes;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;

import java.io.IOException;

/**
 * Tells what kind of {@link Closes.Violation} an error raised by Netty's WebSocket codecs is. The close
 * each kind earns is decided in {@link Closes}, the one vocabulary of closes.
 */
final class ProtocolErrors {

    /** What Netty's zlib decoder says when a message inflates past the limit; pinned by a test. */
    private static final String DECOMPRESSION_LIMIT = "Decompression buffer has reached maximum size";

    private ProtocolErrors() {
    }

    /**
     * The violation {@code error} reports, or null when the connection itself broke (reset, closed) and
     * no close frame can or need be sent.
     */
    static Closes.Violation violationFor(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof IOException) {
            return null;
        }
        if (cause instanceof InvalidTextException) {
            return Closes.Violation.INVALID_UTF8;
        }
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            return switch (corrupted.closeStatus().code()) {
                case 1007 -> Closes.Violation.INVALID_UTF8;
                case 1009 -> Closes.Violation.MESSAGE_TOO_BIG;
                default -> Closes.Violation.PROTOCOL;
            };
        }
        if (cause instanceof TooLongFrameException) {
            return Closes.Violation.MESSAGE_TOO_BIG; // the frame aggregator: the message outgrew maxMessageSize
        }
        if (cause instanceof DecompressionException) {
            String message = cause.getMessage();
            return message != null && message.startsWith(DECOMPRESSION_LIMIT)
                    ? Closes.Violation.MESSAGE_TOO_BIG : Closes.Violation.INVALID_COMPRESSED_DATA;
        }
        if (cause instanceof CodecException) {
            return Closes.Violation.INVALID_COMPRESSED_DATA; // the permessage-deflate decoder's other complaints
        }
        return Closes.Violation.INTERNAL;
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
