package io.echowall.metrics;

import java.util.Locale;

/** How a WebSocket opening handshake ended: the {@code outcome} label of the handshake meter. */
public enum HandshakeOutcome {
    /** The server answered 101 and the session opened. */
    ACCEPTED,
    /** 400: the request is not a valid handshake (RFC 6455 section 4.2.1). */
    BAD_REQUEST,
    /** 426: the client speaks another version of the protocol. */
    WRONG_VERSION,
    /** 403: a page from an origin that may not connect. */
    FORBIDDEN_ORIGIN,
    /** 429 or 503: past the per-address WebSocket limit or the server-wide upgrade rate. */
    LIMITED,
    /** A before filter answered instead (401, 403, a redirect…). */
    REFUSED,
    /** A before filter threw: 500. */
    FAILED,
    /** No WebSocket endpoint at the path. */
    NOT_FOUND,
    /** The client was gone before the 101 response was written. */
    ABANDONED;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The label value. */
    String label() {
        return label;
    }

    /** The outcome of a handshake that failed the server's own checks with HTTP {@code status}. */
    public static HandshakeOutcome refusedWith(int status) {
        return switch (status) {
            case 426 -> WRONG_VERSION;
            case 403 -> FORBIDDEN_ORIGIN;
            default -> BAD_REQUEST;
        };
    }
}
