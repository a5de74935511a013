package io.echowall;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Carries room messages and presence between the servers of one app. The default keeps everything in
 * memory, for one server; {@code RedisBroker} (module {@code echowall-redis}) spans many. A server
 * opens its broker when it starts and closes it when it stops.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Every message published to a room gets the room's next {@link Position} and is kept in the
 *       room's history, within the limits of {@link Node#options}. It then reaches every server
 *       subscribed to the room, this one included, through {@link Node#deliver}: each server gets a
 *       room's messages in position order, each once.
 *   <li>A publication with an idempotency key seen in the room within the last {@link #DEDUPE_WINDOW} is
 *       not applied again: it completes with the position the key got the first time.
 *   <li>Presence is counted per user, across servers. A user's first connection to a room anywhere
 *       makes it join; when its last one anywhere has been gone for the grace period its leave was
 *       given ({@linkplain Node#presenceGrace() the app's}, or none for a connection that was a user of
 *       its own), it leaves. Each join and each leave reaches every server's {@link Node#presence}
 *       exactly once, also when the server that held the user's last connection died.
 *   <li>Methods may be called from any thread and must not block for long (they run on event loops),
 *       {@link #history} aside; callbacks to the {@link Node} come in order, from the broker's own
 *       threads or from the thread that published.
 *   <li>While the other servers cannot be reached, local delivery goes on without the broker: it says so
 *       through {@link Node#health(boolean)} and recovers by itself. Messages published meanwhile get
 *       positions in an epoch of this server's own, so a client resuming across the outage is told its
 *       history was lost rather than shown a silent gap.
 * </ul>
 */
public interface Broker extends AutoCloseable {

    /** The side of a server that a broker calls back. */
    interface Node {
        /** This server's id, unique among the servers of the app while it runs. */
        String id();

        /** How long a user may be gone from a room before it leaves (a page reload is not a leave). */
        Duration presenceGrace();

        /** The options of {@code room}, whose history limits the broker keeps to. */
        RoomOptions options(String room);

        /**
         * A message published to {@code room}, by any server; {@code tag} is what its publisher gave
         * {@link #publish}, handed back as it was.
         */
        void deliver(String room, Position position, Message message, String tag);

        /** A user joined or left a room, counted across servers. */
        void presence(PresenceEvent event);

        /** The broker lost ({@code false}) or regained ({@code true}) the other servers. */
        void health(boolean up);
    }

    /** Starts the broker for the server {@code node}; called once, before anything else. */
    void open(Node node);

    /** This server has members in {@code room} now: messages other servers publish to it must arrive. */
    void subscribe(String room);

    /** This server has no member left in {@code room}. */
    void unsubscribe(String room);

    /** A message kept in a room's history, at its offset. */
    record Entry(long offset, Message message) {
    }

    /**
     * A page of a room's history.
     *
     * @param epoch    the epoch the offsets count in
     * @param oldest   the offset of the oldest message kept; {@code latest + 1} when none is kept
     * @param latest   the offset of the room's last message; 0 before the first
     * @param messages the messages asked for, in order
     */
    record Page(String epoch, long oldest, long latest, List<Entry> messages) {
    }

    /** How long an idempotency key is remembered: long enough for a client to reconnect and send again. */
    Duration DEDUPE_WINDOW = Duration.ofMinutes(2);

    /**
     * Gives {@code message} the room's next position, keeps it in the room's history, and delivers it to
     * every server subscribed to the room, this one included.
     *
     * @param tag            handed back with the message to every server's {@link Node#deliver}; may be null
     * @param idempotencyKey null, or a key that applies the publication at most once within the
     *                       {@link #DEDUPE_WINDOW}
     * @return completes with the message's position once it has one
     */
    CompletableFuture<Position> publish(String room, Message message, String tag, String idempotencyKey);

    /**
     * Up to {@code limit} messages of {@code room}'s history after offset {@code after}, in order, and
     * where the history stands. May block on I/O: called from virtual threads only.
     */
    Page history(String room, long after, int limit);

    /** A connection of {@code user} on this server joined {@code room}; calls add up per user. */
    void joined(String room, String user);

    /**
     * A connection of {@code user} on this server left {@code room}; if it was the user's last one
     * anywhere, the user leaves once {@code grace} has passed without one coming back: the
     * {@linkplain Node#presenceGrace() grace period}, or zero for a connection that was a user of its own.
     */
    void left(String room, String user, Duration grace);

    /** How many users are present in {@code room}, across servers. */
    long users(String room);

    /** Up to {@code limit} users present in {@code room}, in order, after {@code after} (null: from the first). */
    List<String> users(String room, String after, int limit);

    /** Whether the other servers can be reached now. */
    boolean healthy();

    /** Stops: this server's users leave its rooms, after the grace period, and its subscriptions end. */
    @Override
    void close();
}
