package io.echowall.rooms;

import io.echowall.RoomOptions;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A room's members on this server, grouped by event loop, and how many connections each user has in
 * it here. Membership changes under the {@link RoomHub}'s lock for the room; the members are read
 * without it, by the fan-out on each event loop, which may miss a member joining at that very moment.
 */
public final class Room {

    private final String name;
    private final RoomOptions options;
    private final Map<Object, Set<Member>> byLane = new ConcurrentHashMap<>();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final Map<String, Integer> connectionsPerUser = new HashMap<>();
    private int members;

    Room(String name, RoomOptions options) {
        this.name = name;
        this.options = options;
    }

    /** The room's name. */
    public String name() {
        return name;
    }

    /** How the room treats members that cannot keep up. */
    public RoomOptions options() {
        return options;
    }

    /** The members on each event loop. */
    public Collection<Map.Entry<Object, Set<Member>>> lanes() {
        return byLane.entrySet();
    }

    /** Whether some member here speaks the client protocol, so room messages need its envelope too. */
    public boolean hasSubscribers() {
        return subscribers.get() > 0;
    }

    /** The members on event loop {@code lane}; read on that loop. */
    public Set<Member> membersOn(Object lane) {
        return byLane.getOrDefault(lane, Set.of());
    }

    /**
     * Adds {@code member}, a connection of {@code user}.
     *
     * @return whether it is the user's first connection in the room on this server; false if the member
     *         was in already
     */
    boolean add(Member member, String user) {
        if (!byLane.computeIfAbsent(member.lane(), lane -> ConcurrentHashMap.newKeySet()).add(member)) {
            return false;
        }
        members++;
        if (member instanceof Subscriber) {
            subscribers.incrementAndGet();
        }
        return connectionsPerUser.merge(user, 1, Integer::sum) == 1;
    }

    /**
     * Removes {@code member}, a connection of {@code user}.
     *
     * @return whether it was the user's last connection in the room on this server; false if the member
     *         was not in
     */
    boolean remove(Member member, String user) {
        Set<Member> lane = byLane.get(member.lane());
        if (lane == null || !lane.remove(member)) {
            return false;
        }
        members--;
        if (member instanceof Subscriber) {
            subscribers.decrementAndGet();
        }
        return connectionsPerUser.merge(user, -1, (a, b) -> a + b == 0 ? null : a + b) == null;
    }

    /** Whether the room has no member on this server. */
    boolean isEmpty() {
        return members == 0;
    }

    /** The room's members on this server. */
    int size() {
        return members;
    }
}
