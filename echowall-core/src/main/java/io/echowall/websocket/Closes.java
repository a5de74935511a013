package io.echowall.websocket;

import io.echowall.CloseCode;
import io.echowall.CloseException;
import io.echowall.CloseStatus;
import io.echowall.ConnectionClosed;

/**
 * Every close the server sends, with its code and fixed reason, and the one mapping from what went
 * wrong to a close. Reasons are short fixed texts, never exception messages, so nothing internal
 * reaches the peer.
 */
public final class Closes {

    /** A frame broke RFC 6455: reserved bits or opcodes, unmasked, bad fragmentation (section 7.4.1). */
    public static final CloseStatus PROTOCOL_ERROR = new CloseStatus(CloseCode.PROTOCOL_ERROR, "protocol error");
    /** A close frame with a code that may not be sent, or a one-byte payload (section 7.4.1). */
    public static final CloseStatus INVALID_CLOSE_CODE = new CloseStatus(CloseCode.PROTOCOL_ERROR, "invalid close code");
    /** Text or a close reason that is not UTF-8 (section 8.1). */
    public static final CloseStatus INVALID_UTF8 = new CloseStatus(CloseCode.INVALID_PAYLOAD_DATA, "invalid UTF-8");
    /** Compressed data that does not inflate (RFC 7692 section 8.1). */
    public static final CloseStatus INVALID_COMPRESSED_DATA =
            new CloseStatus(CloseCode.INVALID_PAYLOAD_DATA, "invalid compressed data");
    /** A message over the size limit, counted after decompression. */
    public static final CloseStatus MESSAGE_TOO_BIG = new CloseStatus(CloseCode.MESSAGE_TOO_BIG, "message too big");
    /** A peer that does not read what it is sent, past the send timeout or the overflow allowance. */
    public static final CloseStatus SLOW_PEER = new CloseStatus(CloseCode.POLICY_VIOLATION, "peer too slow to read");
    /** A room member that cannot keep up, in a room whose policy closes such members. */
    public static final CloseStatus TOO_SLOW_FOR_ROOM = new CloseStatus(CloseCode.POLICY_VIOLATION, "too slow for the room");
    /** A handler or listener threw, or the server failed on its own. */
    public static final CloseStatus INTERNAL_ERROR = new CloseStatus(CloseCode.INTERNAL_ERROR, "internal error");
    /** The server is stopping. */
    public static final CloseStatus SHUTTING_DOWN = new CloseStatus(CloseCode.GOING_AWAY, "server shutting down");
    /** Reported, never sent: the peer's close frame carried no code. */
    public static final CloseStatus NO_STATUS = new CloseStatus(CloseCode.NO_STATUS_RECEIVED, "");
    /** Reported, never sent: the connection ended without a close frame. */
    public static final CloseStatus ABNORMAL = new CloseStatus(CloseCode.ABNORMAL_CLOSURE, "");

    /** What a decoder found wrong with the input; each kind closes in one way. */
    public enum Violation {
        /** Framing broke the protocol. */
        PROTOCOL(PROTOCOL_ERROR),
        /** Text was not UTF-8. */
        INVALID_UTF8(Closes.INVALID_UTF8),
        /** Compressed data did not inflate. */
        INVALID_COMPRESSED_DATA(Closes.INVALID_COMPRESSED_DATA),
        /** A message outgrew the limit. */
        MESSAGE_TOO_BIG(Closes.MESSAGE_TOO_BIG),
        /** The server failed while decoding (its own fault, not the peer's). */
        INTERNAL(INTERNAL_ERROR);

        private final CloseStatus status;

        Violation(CloseStatus status) {
            this.status = status;
        }

        /** The close this violation earns. */
        public CloseStatus status() {
            return status;
        }
    }

    private Closes() {
    }

    /**
     * The close for user code that ended by throwing {@code error}: a {@link CloseException} closes with
     * its status, anything else with 1011. Null for {@link ConnectionClosed}, the ordinary way a
     * handler learns the peer left: there is nothing to send.
     */
    public static CloseStatus forFailure(Throwable error) {
        if (error instanceof CloseException close) {
            return close.status();
        }
        if (error instanceof ConnectionClosed) {
            return null;
        }
        if (error instanceof InterruptedException) {
            return SHUTTING_DOWN; // only stop() interrupts handlers
        }
        return INTERNAL_ERROR;
    }

    /** Whether {@code error} is a failure of user code worth a logged stack trace. */
    public static boolean isBug(Throwable error) {
        return forFailure(error) == INTERNAL_ERROR;
    }
}
