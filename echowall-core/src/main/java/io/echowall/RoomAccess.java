package io.echowall;

/**
 * Decides what a client of an {@code echowall.v1} endpoint ({@link Echowall#roomsEndpoint(String, RoomAccess)})
 * may do: which rooms it may subscribe to and publish to. A refusal is answered with an error the
 * client can show; the connection goes on. Both are asked on the connection's virtual thread and may
 * block, to look up a database for instance.
 *
 * <pre>{@code
 * app.roomsEndpoint("/live", new RoomAccess() {
 *     public boolean mayPublish(WebSocket ws, String room) {
 *         return room.startsWith("chat:");          // news: and prices: are read-only
 *     }
 * });
 * }</pre>
 */
public interface RoomAccess {

    /** Lets every client subscribe to and publish to every room: for demos and trusted networks. */
    RoomAccess OPEN = new RoomAccess() {
    };

    /** Whether the client on {@code ws} may subscribe to {@code room}; by default, yes. */
    default boolean maySubscribe(WebSocket ws, String room) {
        return true;
    }

    /** Whether the client on {@code ws} may publish to {@code room}; by default, yes. */
    default boolean mayPublish(WebSocket ws, String room) {
        return true;
    }
}
