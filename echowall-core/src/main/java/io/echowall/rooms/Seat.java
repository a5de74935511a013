package io.echowall.rooms;

import io.echowall.Message;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One connection's place in the app's rooms: its user, the rooms it joined, and its publications,
 * which never come back to itself. Safe from any thread.
 */
public final class Seat {

    private final RoomHub hub;
    private final Member member;
    private final Set<String> rooms = new HashSet<>(2); // small: most connections join a room or two
    private volatile String user;
    private volatile boolean named;
    private volatile boolean gone;

    /**
     * The seat of {@code member}, the connection {@code connectionId} of this server. Until the app
     * names its user, the connection is a user of its own, named by its id and this server's, so that
     * two servers' connections of the same id are not one user.
     */
    public Seat(RoomHub hub, Member member, String connectionId) {
        this.hub = hub;
        this.member = member;
        this.user = connectionId + "@" + hub.id();
    }

    /** The user this connection belongs to. */
    public String user() {
        return user;
    }

    /** Names the connection's user; only before it joins a room, since presence is counted per user. */
    public synchronized void user(String name) {
        Objects.requireNonNull(name, "user");
        if (!rooms.isEmpty()) {
            throw new IllegalStateException("name the user before joining rooms: presence is counted per user");
        }
        user = name;
        named = true;
    }

    /** Joins {@code room}; joining a room joined already does nothing; nothing once the connection is gone. */
    public synchronized void join(String room) {
        Objects.requireNonNull(room, "room");
        if (!gone && rooms.add(room)) {
            hub.join(member, user, room);
        }
    }

    /** Leaves {@code room}, if in it. */
    public synchronized void leave(String room) {
        if (rooms.remove(room)) {
            hub.leave(member, user, named, room);
        }
    }

    /** The rooms joined. */
    public synchronized Set<String> rooms() {
        return Set.copyOf(rooms);
    }

    /** Sends {@code message} to every other member of {@code room}, on every server. */
    public void publish(String room, Message message) {
        hub.publish(Objects.requireNonNull(room, "room"), Objects.requireNonNull(message, "message"), member, null);
    }

    /** The connection is gone: it leaves every room, and joins none after. */
    public synchronized void leaveAll() {
        gone = true;
        for (String room : rooms) {
            hub.leave(member, user, named, room);
        }
        rooms.clear();
        hub.forget(member);
    }
}
