package io.echowall.websocket;

import io.echowall.CloseCode;
import io.echowall.CloseStatus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A close frame from the peer, read (RFC 6455 section 5.5.1): the status it carries, or the violation
 * it is. Exactly one of the two is set.
 *
 * @param status    the peer's status; {@link Closes#NO_STATUS} for an empty payload
 * @param violation the close the frame earns instead, when it is not valid
 */
record PeerClose(CloseStatus status, CloseStatus violation) {

    /** Reads a close frame's payload. */
    static PeerClose read(ByteBuffer payload) {
        if (payload.remaining() == 0) {
            return new PeerClose(Closes.NO_STATUS, null);
        }
        int code = payload.remaining() >= 2 ? payload.getShort(payload.position()) & 0xFFFF : -1;
        if (!CloseCode.isSendable(code)) {
            return new PeerClose(null, Closes.INVALID_CLOSE_CODE); // section 7.4.1, or a one-byte payload
        }
        if (payload.remaining() == 2) {
            return new PeerClose(new CloseStatus(code, ""), null); // the usual close: a code, no reason
        }
        ByteBuffer reason = payload.duplicate().position(payload.position() + 2);
        Utf8Validator utf8 = new Utf8Validator();
        if (!utf8.feed(reason.duplicate()) || !utf8.isComplete()) {
            return new PeerClose(null, Closes.INVALID_UTF8); // the reason is UTF-8
        }
        return new PeerClose(new CloseStatus(code, StandardCharsets.UTF_8.decode(reason).toString()), null);
    }
}
