package io.echowall;

import java.nio.charset.StandardCharsets;

/**
 * Why a WebSocket connection closed: a close code and a reason (RFC 6455 section 7.1.5 and 7.1.6).
 *
 * <p>The reason is at most 123 bytes of UTF-8, the room a close frame leaves after the code
 * (section 5.5); a longer one is rejected rather than cut, so nothing is lost silently.
 *
 * @param code   the close code; see {@link CloseCode} for the registered ones
 * @param reason a short human-readable reason, possibly empty, never null
 */
public record CloseStatus(int code, String reason) {

    /** The most bytes of UTF-8 a reason may take in a close frame. */
    public static final int MAX_REASON_BYTES = 123;

    /** 1000 with no reason: the usual, clean end. */
    public static final CloseStatus NORMAL = new CloseStatus(CloseCode.NORMAL_CLOSURE, "");

    /** Checks the code range and the reason's size. */
    public CloseStatus {
        if (code < 0 || code > 65535) {
            throw new IllegalArgumentException("close code out of range: " + code);
        }
        if (reason == null) {
            reason = "";
        }
        // A char takes at most 3 bytes of UTF-8: a short reason needs no encoding to be measured.
        int bytes = reason.length() * 3 <= MAX_REASON_BYTES ? 0 : reason.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_REASON_BYTES) {
            throw new IllegalArgumentException(
                    "close reason is " + bytes + " bytes of UTF-8; at most " + MAX_REASON_BYTES + " fit in a close frame");
        }
    }

    /** A status with a registered code. */
    public CloseStatus(CloseCode code, String reason) {
        this(code.code(), reason);
    }

    /** The registered constant for this code, or {@code null} for an application code. */
    public CloseCode closeCode() {
        return CloseCode.of(code);
    }

    @Override
    public String toString() {
        return reason.isEmpty() ? String.valueOf(code) : code + " " + reason;
    }
}
