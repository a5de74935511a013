package io.echowall;

/**
 * Thrown when a {@link WebSocket} is used after its connection closed: {@code receive()} once every
 * message that arrived before the close was taken, and {@code send()} once the close began.
 *
 * <p>It is how a loop over a session learns that the peer left; iterating with {@code for (var m : ws)}
 * ends quietly instead. A handler that lets it escape is not an error and is not logged.
 */
public class ConnectionClosed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient CloseStatus status;

    /** Creates the exception for a connection that closed with {@code status}. */
    public ConnectionClosed(CloseStatus status) {
        super("WebSocket connection closed: " + status, null, false, false);
        this.status = status;
    }

    /** How the connection closed. */
    public CloseStatus status() {
        return status;
    }
}
