package io.echowall;

/**
 * Decides what a client of an {@code echowall.v1} endpoint ({@link Echowall#roomsEndpoint(String, RoomAccess)})
 * may do: which rooms it may subscribe to and publish to, and what it publishes. A refusal is answered
 * with an error the client can show; the connection goes on. Every method is asked on the connection's
 * virtual thread and may block, to look up a database for instance.
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

    /**
     * What the client on {@code ws} publishes to {@code room}, as it is to be stored and sent to the
     * room's members; asked after {@link #mayPublish} allowed it, before the message has a position.
     * {@code data} is the JSON value the client sent, as text. Return it as it is, or changed: stamped
     * with what the server knows and the client must not choose (its user, the time), reduced to the
     * fields the app expects. Throw {@link PublishRefused} to refuse it with a reason the client sees.
     * What is returned is published as text: JSON reaches the members as that JSON, other text as a
     * JSON string; never return null. By default, {@code data} as it is.
     *
     * <pre>{@code
     * public String publishing(WebSocket ws, String room, String data) {
     *     String text = JSON.readTree(data).path("text").asText("").strip();
     *     if (text.isEmpty() || text.length() > 500) {
     *         throw new PublishRefused("a line is 1 to 500 characters");
     *     }
     *     return JSON.createObjectNode().put("from", ws.user()).put("text", text).toString();
     * }
     * }</pre>
     *
     * <p>A client that publishes again after a reconnect, with the same id, is asked about again; only
     * the first answer is stored, so the repeat changes nothing.
     */
    default String publishing(WebSocket ws, String room, String data) {
        return data;
    }
}
