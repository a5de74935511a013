package io.echowall.rooms;

import io.echowall.RoomOptions;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
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

    private static final Member[] NONE = {};

    /**
     * One event loop's members. The fan-out walks them as an array, copied after each change: a
     * publication visits every member, and a hash set's entries lie anywhere in the heap, each a cache
     * miss of its own. The array keeps the order they joined in, which is mostly the order their
     * connections were made: their objects, and the kernel's for their sockets, were allocated in that
     * order too, so a walk in it reads memory that lies together rather than scattered. Changes and
     * copies hold this lane's lock; a publication that finds its copy current takes none.
     */
    private static final class Lane {
        /** Members as of a change; the copy of none has a version no change reaches. */
        private record Copy(long version, Member[] members) {
        }

        private static final Copy NO_COPY = new Copy(-1, NONE);

        private final Set<Member> members = new LinkedHashSet<>();
        private volatile long version;
        private volatile Copy copy = NO_COPY;
        private volatile int size;

        synchronized boolean add(Member member) {
            return members.add(member) && changed();
        }

        synchronized boolean remove(Member member) {
            return members.remove(member) && changed();
        }

        boolean isEmpty() {
            return size == 0;
        }

        /** The copy goes, not to hold members that left. */
        private boolean changed() {
            size = members.size();
            version++;
            copy = NO_COPY;
            return true;
        }

        /** The members as of the latest change. */
        Member[] current() {
            Copy c = copy;
            if (c.version() != version) {
                synchronized (this) {
                    c = copy;
                    if (c.version() != version) {
                        c = new Copy(version, members.toArray(NONE));
                        copy = c;
                    }
                }
            }
            return c.members();
        }
    }

    private final String name;
    private final RoomOptions options;
    private final Map<Object, Lane> byLane = new ConcurrentHashMap<>();
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

    /** The event loops this room has had members on. */
    public Collection<Object> lanes() {
        return byLane.keySet();
    }

    /** Whether some member here speaks the client protocol, so room messages need its envelope too. */
    public boolean hasSubscribers() {
        return subscribers.get() > 0;
    }

    /** The members on event loop {@code lane}, in an array the caller must not change. */
    public Member[] membersOn(Object lane) {
        Lane members = byLane.get(lane);
        return members == null ? NONE : members.current();
    }

    /** Whether the room has a member on event loop {@code lane}. */
    public boolean hasMembersOn(Object lane) {
        Lane members = byLane.get(lane);
        return members != null && !members.isEmpty();
    }

    /**
     * Adds {@code member}, a connection of {@code user}.
     *
     * @return whether it is the user's first connection in the room on this server; false if the member
     *         was in already
     */
    boolean add(Member member, String user) {
        Lane lane = byLane.computeIfAbsent(member.lane(), loop -> new Lane());
        if (!lane.add(member)) {
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
        Lane lane = byLane.get(member.lane());
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
