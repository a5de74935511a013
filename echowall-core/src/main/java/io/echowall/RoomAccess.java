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

    /**
     * The user the client on {@code ws} is, asked once as the connection opens, before anything else:
     * from what a before filter stored ({@code ws.attribute(…)}) or the upgrade's parameters. Presence
     * and the ids of acknowledged publishes are counted per user. By default, null: the connection is a
     * user of its own.
     */
    default String user(WebSocket ws) {
        return null;
    }

    /** Whether the client on {@code ws} may subscribe to {@code room}; by default, yes. */
    default boolean maySubscribe(WebSocket ws, String room) {
        return true;
    }

    /** Whether the client on {@code ws} may publish to {@code room}; by default, yes. */
    default boolean mayPublish(WebSocket ws, String room) {
        return true;
    }
}
