package io.echowall;

/**
 * An event-style WebSocket endpoint: callbacks for what happens on each connection.
 *
 * <p>Per connection, {@code onOpen} is called exactly once first and {@code onClose} exactly once
 * last, with nothing after it; callbacks never overlap. By default they run on a virtual thread and
 * may block; with {@link WebSocketOptions#withEventLoop(boolean)} they run on the connection's event
 * loop instead, for non-blocking code that wants the least latency, and must then never block.
 *
 * <p>A callback that throws {@link CloseException} closes with its status. Any other exception is
 * passed to {@code onError}, logged once, and closes the connection with 1011.
 */
public interface WebSocketListener {

    /** The connection is open. */
    default void onOpen(WebSocket ws) throws Exception {
    }

    /** A complete message arrived. */
    default void onMessage(WebSocket ws, Message message) throws Exception {
    }

    /** A callback threw {@code error}; the connection is about to close with 1011. */
    default void onError(WebSocket ws, Throwable error) {
    }

    /** The connection closed, for the reason in {@code status}. */
    default void onClose(WebSocket ws, CloseStatus status) throws Exception {
    }
}
