package io.echowall.rooms;

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

/**
 * One room's positions and history, in memory: the next offset, the latest messages within the room's
 * limits, and the idempotency keys seen within the {@link Broker#DEDUPE_WINDOW}. Times are the caller's
 * nanoseconds, so tests drive it with a manual clock. Not thread-safe: its owner locks it.
 */
public final class RoomHistory {

    /** What {@link #append} did: the message's position, and whether it was new or a repeated key. */
    public record Appended(Position position, boolean applied) {
    }

    private record Kept(long offset, Message message, long at) {
    }

    private record Seen(Position position, long at) {
    }

    /** Keys remembered per room at most: a bound on memory whatever clients send. */
    private static final int MAX_KEYS = 100_000;

    private final String epoch;
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();
    private final LinkedHashMap<String, Seen> keys = new LinkedHashMap<>();
    private long latest;

    /** A history that starts empty, at offset 0 of {@code epoch}. */
    public RoomHistory(String epoch) {
        this.epoch = epoch;
    }

    /** The room's current position: its last message's. */
    public Position position() {
        return new Position(epoch, latest);
    }

    /**
     * Gives {@code message} the next offset and keeps it within {@code size} and {@code age}, unless
     * {@code key} was seen within the dedupe window: then nothing changes, and its first position is
     * returned.
     */
    public Appended append(Message message, String key, int size, Duration age, long now) {
        if (key != null) {
            forgetKeys(now);
            Seen seen = keys.get(key);
            if (seen != null) {
                return new Appended(seen.position, false);
            }
        }
        Position position = new Position(epoch, ++latest);
        if (size > 0) {
            kept.addLast(new Kept(latest, message, now));
            trim(size, age, now);
        }
        if (key != null) {
            keys.put(key, new Seen(position, now));
            if (keys.size() > MAX_KEYS) {
                Iterator<?> eldest = keys.values().iterator();
                eldest.next();
                eldest.remove();
            }
        }
        return new Appended(position, true);
    }

    /** Up to {@code limit} kept messages after offset {@code after}, and where the history stands. */
    public Broker.Page read(long after, int limit, Duration age, long now) {
        trim(Integer.MAX_VALUE, age, now);
        List<Broker.Entry> page = new ArrayList<>(Math.min(limit, kept.size()));
        long oldest = kept.isEmpty() ? latest + 1 : kept.peekFirst().offset;
        if (after < latest && limit > 0) {
            int skip = (int) Math.max(0, after + 1 - oldest); // offsets are consecutive, so the start is found by arithmetic
            Iterator<Kept> it = kept.iterator();
            for (int i = 0; i < skip; i++) {
                it.next();
            }
            while (it.hasNext() && page.size() < limit) {
                Kept k = it.next();
                page.add(new Broker.Entry(k.offset, k.message));
            }
        }
        return new Broker.Page(epoch, oldest, latest, page);
    }

    /** Forgets what is older than {@code age} and the window; whether nothing is left to remember. */
    public boolean sweep(Duration age, long now) {
        trim(Integer.MAX_VALUE, age, now);
        forgetKeys(now);
        return kept.isEmpty() && keys.isEmpty();
    }

    private void trim(int size, Duration age, long now) {
        long oldestAllowed = now - age.toNanos();
        while (!kept.isEmpty() && (kept.size() > size || kept.peekFirst().at - oldestAllowed < 0)) {
            kept.removeFirst();
        }
    }

    private void forgetKeys(long now) {
        long window = Broker.DEDUPE_WINDOW.toNanos();
        Iterator<Seen> it = keys.values().iterator();
        while (it.hasNext() && now - it.next().at > window) {
            it.remove();
        }
    }
}
