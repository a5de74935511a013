package io.echowall;

import java.time.Duration;
import java.util.List;

/**
 * Carries room messages and presence between the servers of one app. The default keeps everything in
 * memory, for one server; {@code RedisBroker} (module {@code echowall-redis}) spans many. A server
 * opens its broker when it starts and closes it when it stops.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Messages a server publishes to a room reach every other server subscribed to the room, in the
 *       order that server published them; a server never receives its own publications back.
 *   <li>Presence is counted per user, across servers. A user's first connection to a room anywhere
 *       makes it join; when its last one anywhere has been gone for the {@linkplain Node#presenceGrace()
 *       grace period}, it leaves. Each join and each leave reaches every server's {@link Node#presence}
 *       exactly once, also when the server that held the user's last connection died.
 *   <li>Methods may be called from any thread and must not block for long (they run on event loops);
 *       callbacks to the {@link Node} come from the broker's own threads, in order.
 *   <li>While the other servers cannot be reached, local delivery goes on without the broker: it says so
 *       through {@link Node#health(boolean)} and recovers by itself.
 * </ul>
 */
public interface Broker extends AutoCloseable {

    /** The side of a server that a broker calls back. */
    interface Node {
        /** This server's id, unique among the servers of the app while it runs. */
        String id();

        /** How long a user may be gone from a room before it leaves (a page reload is not a leave). */
        Duration presenceGrace();

        /** A message another server published to {@code room}. */
        void deliver(String room, Message message);

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

    /** Sends {@code message} to the other servers' members of {@code room}. */
    void publish(String room, Message message);

    /** A connection of {@code user} on this server joined {@code room}; calls add up per user. */
    void joined(String room, String user);

    /** A connection of {@code user} on this server left {@code room}. */
    void left(String room, String user);

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
