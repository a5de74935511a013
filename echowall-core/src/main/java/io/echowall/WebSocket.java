package io.echowall;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One WebSocket connection, as seen by the server: the same type for both handler styles.
 *
 * <h2>Receiving</h2>
 * In the blocking style ({@link WebSocketHandler}) the handler owns the session on its own virtual
 * thread and pulls messages: {@code for (var m : ws)} yields every message in order and ends when the
 * peer closes; {@link #receive()} returns the next message or throws {@link ConnectionClosed}. Neither
 * ever yields an empty or null message at close. In the event style ({@link WebSocketListener})
 * messages are pushed to {@code onMessage} instead and {@code receive()} must not be called.
 *
 * <h2>Sending</h2>
 * {@code send} is safe from any thread. It returns once the message is queued for the network; while
 * the peer reads too slowly (the outbound buffer is above its high-water mark) it parks the calling
 * thread until there is room, up to the configured send timeout, after which the connection is closed
 * (1008) and {@link ConnectionClosed} thrown. A send on the event loop (listeners that opted in) never
 * parks. A write that fails later closes the session, and the next call throws {@code ConnectionClosed}.
 *
 * <h2>Rooms</h2>
 * A connection {@linkplain #join(String) joins} rooms by name; what is {@linkplain #publish(String,
 * Message) published} to a room reaches all its members, on every server of the app (see {@link Rooms}
 * for publishing from elsewhere). It leaves every room when it closes. Presence is counted per user,
 * which the app names with {@link #user(String)}.
 *
 * <h2>Closing</h2>
 * {@link #close(int, String)} starts the close handshake; the framework answers the peer's close,
 * sends keepalive pings, and releases the TCP connection, so user code never handles control frames.
 */
public interface WebSocket extends Iterable<Message> {

    /** The connection states, named as in the browser's {@code WebSocket.readyState}. */
    enum State {
        /** The opening handshake is under way. */
        CONNECTING,
        /** Messages flow both ways. */
        OPEN,
        /** A close frame was sent or received; the handshake is finishing. */
        CLOSING,
        /** The connection is gone. */
        CLOSED
    }

    /** A unique id for this connection within the server, for logs and maps. */
    String id();

    /** The current state. */
    State state();

    /** Whether messages can still be sent: the state is {@link State#OPEN}. */
    default boolean isOpen() {
        return state() == State.OPEN;
    }

    /**
     * Waits for the next message and returns it.
     *
     * @throws ConnectionClosed once the connection closed and every message received before the close
     *                          was returned
     */
    Message receive();

    /**
     * Waits up to {@code timeout} for the next message.
     *
     * @return the message, or empty if none arrived in time
     * @throws ConnectionClosed as {@link #receive()}
     */
    Optional<Message> receive(Duration timeout);

    /** Sends a text message. */
    void send(String text);

    /** Sends a binary message (the array is copied before this returns). */
    void send(byte[] bytes);

    /** Sends {@code message} with its own type, without copying it. */
    void send(Message message);

    /** Bytes queued for this connection that the network has not taken yet, as in the browser API. */
    long bufferedAmount();

    /** Closes normally (1000). */
    default void close() {
        close(CloseStatus.NORMAL);
    }

    /** Starts the close handshake with {@code code} (1000-1003, 1007-1014, 3000-4999) and {@code reason}. */
    default void close(int code, String reason) {
        close(new CloseStatus(code, reason));
    }

    /** Starts the close handshake with {@code status}; does nothing if closing already began. */
    void close(CloseStatus status);

    /**
     * How the connection closed, once it did: the code the peer sent when it closed first, the one
     * this side sent when it did, 1005 for a close frame without a code, 1006 for a connection that
     * ended without any close frame.
     */
    Optional<CloseStatus> closeStatus();

    /** The subprotocol agreed in the handshake, if any. */
    Optional<String> subprotocol();

    /** The request path of the upgrade, without the query. */
    String path();

    /** A path parameter of the route, such as {@code room} in {@code /chat/{room}}, or null. */
    String pathParam(String name);

    /** The first value of a query parameter of the upgrade request, or null. */
    String queryParam(String name);

    /** All query parameters of the upgrade request. */
    Map<String, List<String>> queryParams();

    /** The first value of a header of the upgrade request (case-insensitive name), or null. */
    String header(String name);

    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /**
     * Names the user this connection belongs to, for presence: a user with several connections (tabs,
     * devices) is present once. Name it before joining rooms, for instance from what an authentication
     * filter stored in an attribute. Unnamed, a connection is a user of its own, named by its {@link #id()}
     * and its server's ({@code id@server}, distinct across servers), and leaves its rooms' presence as soon
     * as it closes: whatever reconnects is a new connection, so a grace period would only delay the leave.
     *
     * @throws IllegalStateException once the connection joined a room
     */
    void user(String user);

    /** The user this connection belongs to: as named with {@link #user(String)}, else {@code id@server}. */
    String user();

    /**
     * Joins {@code room}: from now on, what is published to it reaches this connection too. Joining a
     * room joined already does nothing. The connection leaves all its rooms when it closes.
     */
    void join(String room);

    /** Leaves {@code room}, if in it. */
    void leave(String room);

    /** The rooms this connection is in. */
    Set<String> rooms();

    /**
     * Sends {@code message} to every other member of {@code room}, on every server; not back to this
     * connection, which has it already (use {@link Rooms#publish} to reach every member). Members of
     * a room get its messages in the order each publisher sent them. A member that cannot keep up meets
     * the room's {@link RoomOptions.SlowConsumer} policy; the publisher never waits for it.
     */
    void publish(String room, Message message);

    /** Sends a text message to every other member of {@code room}, as {@link #publish(String, Message)}. */
    default void publish(String room, String text) {
        publish(room, Message.text(text));
    }

    /** A value stored on this session, including those set on the upgrade's {@link Context} by filters. */
    <T> T attribute(String name);

    /** Stores a value on this session. */
    void attribute(String name, Object value);
}
