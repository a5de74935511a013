package io.echowall.redis;

import io.echowall.Broker;
import io.echowall.Message;
import io.echowall.Position;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The rooms' positions and histories a server keeps by itself while Redis cannot be reached: each room
 * gets an epoch of this server's own, made when the room is first used during the outage, so that a
 * client resuming across the outage is told its history was lost rather than shown a gap. Everything
 * is forgotten when Redis is back, where the rooms go on in their Redis epochs. In memory, within each
 * room's limits; times are the caller's nanoseconds, so tests drive it with a manual clock.
 */
final class OwnHistories {

    /** What {@link #append} did: the message's position, and whether it was new or a repeated key. */
    record Appended(Position position, boolean applied) {
    }

    private record Kept(long offset, Message message, long at) {
    }

    private record Seen(Position position, long at) {
    }

    /** Keys remembered per room at most, whatever clients send. */
    private static final int MAX_KEYS = 10_000;

    /** One room's history; its owner locks it. */
    static final class Room {
        private final String epoch = newEpoch();
        private final ArrayDeque<Kept> kept = new ArrayDeque<>();
        private final LinkedHashMap<String, Seen> keys = new LinkedHashMap<>();
        private long latest;

        /**
         * Gives {@code message} the room's next position and keeps it, unless {@code key} was seen within
         * the dedupe window; the caller holds this room's lock, and delivers under it so that order holds.
         */
        Appended append(Message message, String key, int size, Duration age, long now) {
            if (key != null) {
                long window = Broker.DEDUPE_WINDOW.toNanos();
                keys.values().removeIf(seen -> now - seen.at > window);
                Seen seen = keys.get(key);
                if (seen != null) {
                    return new Appended(seen.position, false);
                }
            }
            Position position = new Position(epoch, ++latest);
            if (size > 0) {
                kept.addLast(new Kept(latest, message, now));
            }
            trim(size, age, now);
            if (key != null) {
                keys.put(key, new Seen(position, now));
                if (keys.size() > MAX_KEYS) {
                    Iterator<Seen> eldest = keys.values().iterator();
                    eldest.next();
                    eldest.remove();
                }
            }
            return new Appended(position, true);
        }

        private Broker.Page read(long after, int limit, Duration age, long now) {
            trim(Integer.MAX_VALUE, age, now);
            long oldest = kept.isEmpty() ? latest + 1 : kept.peekFirst().offset;
            List<Broker.Entry> page = new ArrayList<>();
            if (limit > 0 && after < latest) {
                for (Kept k : kept) {
                    if (k.offset > after) {
                        page.add(new Broker.Entry(k.offset, k.message));
                        if (page.size() == limit) {
                            break;
                        }
                    }
                }
            }
            return new Broker.Page(epoch, oldest, latest, page);
        }

        private void trim(int size, Duration age, long now) {
            long oldestAllowed = now - age.toNanos();
            while (!kept.isEmpty() && (kept.size() > size || kept.peekFirst().at - oldestAllowed < 0)) {
                kept.removeFirst();
            }
        }
    }

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();

    /** A new epoch: 12 random hex digits, so that two epochs of one room are never the same. */
    static String newEpoch() {
        return String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL);
    }

    /** The history of {@code room} during this outage, made on first use. */
    Room room(String room) {
        return rooms.computeIfAbsent(room, r -> new Room());
    }

    /** Up to {@code limit} messages of {@code room} after {@code after}, and where its history stands. */
    Broker.Page read(String room, long after, int limit, Duration age, long now) {
        Room r = room(room);
        synchronized (r) {
            return r.read(after, limit, age, now);
        }
    }

    /** Redis is back: the rooms go on in their Redis epochs, and what was kept here is of no more use. */
    void clear() {
        rooms.clear();
    }
}
