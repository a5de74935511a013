package io.echowall;

/**
 * A blocking WebSocket endpoint: code that owns a connection from open to close.
 *
 * <p>{@code handle} runs on a virtual thread of its own, so it may block freely; a handler blocked
 * forever holds only its own connection. When it returns, the connection closes normally (1000) if it
 * is still open. Throwing {@link CloseException} closes with that status; any other exception closes
 * with 1011 and is logged once; {@link ConnectionClosed} escaping it is the peer leaving, not an error.
 *
 * <pre>{@code
 * app.ws("/foobar", ws -> {
 *     for (var message : ws) {
 *         ws.send(message);
 *     }
 * });
 * }</pre>
 */
@FunctionalInterface
public interface WebSocketHandler {

    /** Serves one connection. */
    void handle(WebSocket ws) throws Exception;
}
