package io.echowall.rooms;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Room messages waiting for a member that is behind, bounded in bytes: past the bound the oldest go,
 * and a message with a key replaces the waiting one with the same key (conflation). One thread only.
 *
 * @param <T> the message as the connection holds it
 */
public final class Backlog<T> {

    /** A waiting message; its item is replaced in place when a newer one with its key comes. */
    private static final class Entry<T> {
        T item;
        final String key;

        Entry(T item, String key) {
            this.item = item;
            this.key = key;
        }
    }

    private final ToIntFunction<T> size;
    private final Consumer<T> discard;
    private final ArrayDeque<Entry<T>> queue = new ArrayDeque<>();
    private final Map<String, Entry<T>> byKey = new HashMap<>();
    private long bytes;

    /** A backlog measuring items with {@code size}, giving up dropped ones to {@code discard}. */
    public Backlog(ToIntFunction<T> size, Consumer<T> discard) {
        this.size = size;
        this.discard = discard;
    }

    /**
     * Adds {@code item}; with a {@code key}, it replaces the waiting item with that key, keeping its
     * place. Then drops the oldest until at most {@code maxBytes} wait (always keeping the newest).
     *
     * @return how many waiting items were dropped or replaced
     */
    public int add(T item, String key, long maxBytes) {
        int dropped = 0;
        Entry<T> same = key == null ? null : byKey.get(key);
        if (same != null) {
            bytes -= size.applyAsInt(same.item);
            discard.accept(same.item);
            same.item = item;
            dropped++;
        } else {
            Entry<T> entry = new Entry<>(item, key);
            queue.add(entry);
            if (key != null) {
                byKey.put(key, entry);
            }
        }
        bytes += size.applyAsInt(item);
        while (bytes > maxBytes && queue.size() > 1) {
            discard.accept(remove(queue.poll()));
            dropped++;
        }
        return dropped;
    }

    /** The oldest waiting item, removed, or null. */
    public T poll() {
        Entry<T> entry = queue.poll();
        return entry == null ? null : remove(entry);
    }

    /** Whether nothing waits. */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Drops everything that waits. */
    public void clear() {
        T item;
        while ((item = poll()) != null) {
            discard.accept(item);
        }
    }

    private T remove(Entry<T> entry) {
        if (entry.key != null) {
            byKey.remove(entry.key);
        }
        bytes -= size.applyAsInt(entry.item);
        return entry.item;
    }
}
