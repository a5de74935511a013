package io.echowall;

/**
 * The close codes registered with IANA for WebSocket (RFC 6455 section 7.4), by their registered names.
 *
 * <p>Codes 3000-4999 are free for libraries and applications and have no constant here: use
 * {@link CloseStatus#CloseStatus(int, String)} for them. Codes marked "reserved" are never sent on
 * the wire; Echowall only reports them locally, through {@link WebSocket#closeStatus()}.
 */
public enum CloseCode {
    /** 1000: the purpose of the connection has been fulfilled. */
    NORMAL_CLOSURE(1000),
    /** 1001: the endpoint is going away, such as a server shutting down or a page being left. */
    GOING_AWAY(1001),
    /** 1002: the peer broke the protocol. */
    PROTOCOL_ERROR(1002),
    /** 1003: a message of a type the endpoint cannot accept (text where only binary is expected, say). */
    UNSUPPORTED_DATA(1003),
    /** 1005, reserved: the close frame carried no status code. */
    NO_STATUS_RECEIVED(1005),
    /** 1006, reserved: the connection ended without a close frame. */
    ABNORMAL_CLOSURE(1006),
    /** 1007: a text message was not valid UTF-8 (or data was otherwise inconsistent with its type). */
    INVALID_PAYLOAD_DATA(1007),
    /** 1008: a message violated the endpoint's policy. */
    POLICY_VIOLATION(1008),
    /** 1009: a message was larger than the endpoint accepts. */
    MESSAGE_TOO_BIG(1009),
    /** 1010: the client expected an extension the server did not negotiate. */
    MANDATORY_EXTENSION(1010),
    /** 1011: the server met an unexpected condition, such as a handler that threw. */
    INTERNAL_ERROR(1011),
    /** 1012: the service is restarting. */
    SERVICE_RESTART(1012),
    /** 1013: the service is overloaded; try again later. */
    TRY_AGAIN_LATER(1013),
    /** 1014: a gateway or proxy received an invalid response from upstream. */
    BAD_GATEWAY(1014),
    /** 1015, reserved: the TLS handshake failed. */
    TLS_HANDSHAKE(1015);

    private final int code;

    CloseCode(int code) {
        this.code = code;
    }

    /** The numeric code. */
    public int code() {
        return code;
    }

    /**
     * Whether an endpoint may put {@code code} in a close frame (RFC 6455 section 7.4.1 and 7.4.2):
     * the registered codes except the reserved ones, and 3000-4999.
     */
    public static boolean isSendable(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }

    /** The constant for {@code code}, or {@code null} for codes without a registered name. */
    public static CloseCode of(int code) {
        for (CloseCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
