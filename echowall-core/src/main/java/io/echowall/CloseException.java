package io.echowall;

/**
 * Thrown by a handler or listener to close its connection on purpose with a chosen code and reason.
 *
 * <p>Unlike any other exception escaping user code (which closes with 1011 and is logged), this one
 * is an ordinary way to end: the peer receives exactly {@link #status()}, and nothing is logged.
 */
public class CloseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient CloseStatus status;

    /** Closes with {@code code} (1000-1003, 1007-1014 or 3000-4999) and {@code reason}. */
    public CloseException(int code, String reason) {
        this(new CloseStatus(code, reason));
    }

    /** Closes with a registered {@code code} and {@code reason}. */
    public CloseException(CloseCode code, String reason) {
        this(new CloseStatus(code, reason));
    }

    private CloseException(CloseStatus status) {
        super(status.toString(), null, false, false);
        if (!CloseCode.isSendable(status.code())) {
            throw new IllegalArgumentException("close code " + status.code() + " may not be sent in a close frame");
        }
        this.status = status;
    }

    /** The status the peer receives. */
    public CloseStatus status() {
        return status;
    }
}
