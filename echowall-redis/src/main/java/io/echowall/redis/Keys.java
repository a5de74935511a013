package io.echowall.redis;

import java.nio.charset.StandardCharsets;

/**
 * The names of every key and channel the broker uses, under one prefix.
 *
 * <p>A room's keys and its message channel share the hash tag {@code {room}}, so that on a Redis Cluster
 * they live in one slot (a script may touch them together) and rooms spread over the shards. The keys
 * that span servers share the tag {@code {global}}.
 */
final class Keys {

    private final String prefix;
    private final byte[] presence;

    Keys(String prefix) {
        this.prefix = prefix;
        this.presence = bytes(prefix + "presence");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The channel of the room's messages. */
    byte[] messages(String room) {
        return bytes(prefix + "{" + room + "}:messages");
    }

    /** The room named by a channel from {@link #messages(String)}, or null if it is not one. */
    String roomOf(byte[] channel) {
        String name = new String(channel, StandardCharsets.UTF_8);
        String head = prefix + "{";
        String tail = "}:messages";
        if (!name.startsWith(head) || !name.endsWith(tail) || name.length() < head.length() + tail.length()) {
            return null;
        }
        return name.substring(head.length(), name.length() - tail.length());
    }

    /** The room's log: its epoch, its latest offset and when its last message was published. */
    byte[] log(String room) {
        return bytes(prefix + "{" + room + "}:log");
    }

    /** The room's history: a stream of its latest messages, by offset. */
    byte[] history(String room) {
        return bytes(prefix + "{" + room + "}:history");
    }

    /** The record of an idempotency key used in the room: the position it got. */
    byte[] seen(String room, String idempotencyKey) {
        return bytes(prefix + "{" + room + "}:seen:" + idempotencyKey);
    }

    /** The channel every join and leave is announced on. */
    byte[] presence() {
        return presence;
    }

    /** The keys of a room's presence, in the order the scripts take them, and a server's connections. */
    byte[][] room(String room, String server) {
        String base = prefix + "{" + room + "}:";
        return new byte[][] {bytes(base + "users"), bytes(base + "total"), bytes(base + "leaving"),
                bytes(base + "conns:" + server)};
    }

    /** A room's sorted set of present users. */
    byte[] users(String room) {
        return bytes(prefix + "{" + room + "}:users");
    }

    /** The lease of every live server: a sorted set of server to the time its lease ends. */
    byte[] servers() {
        return bytes(prefix + "{global}:servers");
    }

    /** The name of the data set, which changes when Redis loses its data. */
    byte[] epoch() {
        return bytes(prefix + "{global}:epoch");
    }

    /** Dead servers being reaped: a sorted set of server to the time the claim ends. */
    byte[] reaping() {
        return bytes(prefix + "{global}:reaping");
    }

    /** When the lease of each dead server being reaped ended. */
    byte[] lapsed() {
        return bytes(prefix + "{global}:lapsed");
    }

    /** The rooms a server holds connections or pending leaves in. */
    byte[] rooms(String server) {
        return bytes(prefix + "{global}:rooms:" + server);
    }
}
