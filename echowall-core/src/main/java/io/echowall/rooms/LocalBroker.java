package io.echowall.rooms;

import io.echowall.Broker;
import io.echowall.Message;
import io.echowall.Position;
import io.echowall.PresenceEvent;
import io.echowall.RoomOptions;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The broker of an app that runs on one server: there are no other servers to reach, so publications
 * are delivered here, on the publishing thread, and presence is counted in memory, with the grace period
 * kept by a timer. Histories live in memory: a room's epoch is made with its history, so a server
 * restarted, or a quiet room whose history aged out and was forgotten, starts a new epoch.
 */
public final class LocalBroker implements Broker {

    /** Who is in one room, and who is on the way out. */
    private static final class Presence {
        final Map<String, Integer> connections = new HashMap<>();
        final NavigableSet<String> present = new TreeSet<>();
        final Map<String, Leave> leaving = new HashMap<>();
    }

    /** A user's leave from a room, due when the grace period ends unless the user is back by then. */
    private record Leave(String room, String user, long due) {
    }

    /** How often histories are swept of what aged out, and quiet rooms forgotten. */
    private static final long SWEEP_SECONDS = 30;

    private final Map<String, Presence> rooms = new HashMap<>();
    private final Map<String, RoomHistory> histories = new ConcurrentHashMap<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    /**
     * Leaves not yet due, the soonest first, and one timer task set for the soonest: a task per leave
     * made a mass disconnect (10,000 pages closed) cost a timer queue of 10,000 entries and a burst of
     * 10,000 tasks when the grace period ended.
     */
    private final PriorityQueue<Leave> leaves = new PriorityQueue<>((a, b) -> Long.compare(a.due() - b.due(), 0));
    private ScheduledFuture<?> nextLeave;
    private Node node;
    private ScheduledExecutorService timer;

    @Override
    public synchronized void open(Node node) {
        this.node = node;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("echowall-presence-grace").daemon().factory());
        timer.scheduleWithFixedDelay(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void subscribe(String room) {
        subscribed.add(room); // its history is kept while it has members, so their positions stay valid
    }

    @Override
    public void unsubscribe(String room) {
        subscribed.remove(room);
    }

    @Override
    public CompletableFuture<Position> publish(String room, Message message, String tag, String idempotencyKey) {
        RoomOptions options = node.options(room);
        while (true) {
            RoomHistory history = history(room);
            synchronized (history) { // positions are given and delivered in one step, so delivery follows their order
                if (histories.get(room) != history) {
                    continue; // swept away while this thread waited: the room has a new history now
                }
                RoomHistory.Appended appended = history.append(message, idempotencyKey, options.historySize(),
                        options.historyAge(), System.nanoTime());
                if (appended.applied()) {
                    node.deliver(room, appended.position(), message, tag);
                }
                return CompletableFuture.completedFuture(appended.position());
            }
        }
    }

    @Override
    public Page history(String room, long after, int limit) {
        RoomHistory history = history(room);
        synchronized (history) {
            return history.read(after, limit, node.options(room).historyAge(), System.nanoTime());
        }
    }

    private RoomHistory history(String room) {
        return histories.computeIfAbsent(room, r -> new RoomHistory(UUID.randomUUID().toString().substring(0, 8)));
    }

    private void sweep() {
        long now = System.nanoTime();
        histories.forEach((room, history) -> {
            synchronized (history) {
                if (history.sweep(node.options(room).historyAge(), now) && !subscribed.contains(room)) {
                    histories.remove(room, history);
                }
            }
        });
    }

    @Override
    public synchronized void joined(String room, String user) {
        Presence p = rooms.computeIfAbsent(room, r -> new Presence());
        if (p.connections.merge(user, 1, Integer::sum) == 1) {
            if (p.leaving.remove(user) == null) { // if it was leaving, it is back within the grace period: it never left
                p.present.add(user);
                node.presence(new PresenceEvent(room, user, true));
            }
        }
    }

    @Override
    public synchronized void left(String room, String user, Duration grace) {
        Presence p = rooms.get(room);
        if (p == null || p.connections.merge(user, -1, (a, b) -> a + b == 0 ? null : a + b) != null
                || timer.isShutdown()) { // a connection that ends while the server stops: no one is left to tell
            return;
        }
        Leave leave = new Leave(room, user, System.nanoTime() + grace.toNanos());
        p.leaving.put(user, leave);
        if (!grace.isPositive()) {
            leave(leave);
            return;
        }
        leaves.add(leave);
        if (leaves.peek() == leave) { // sooner than the leave the timer is set for, if any
            if (nextLeave != null) {
                nextLeave.cancel(false);
            }
            nextLeave = timer.schedule(this::leaveWhenDue, grace.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Carries out every leave that is due, and sets the timer for the next, also if one of them failed. */
    private synchronized void leaveWhenDue() {
        try {
            long now = System.nanoTime();
            while (!leaves.isEmpty() && leaves.peek().due() - now <= 0) {
                leave(leaves.poll());
            }
        } finally {
            Leave next = leaves.peek();
            nextLeave = next == null || timer.isShutdown() ? null
                    : timer.schedule(this::leaveWhenDue, next.due() - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
    }

    private void leave(Leave leave) {
        Presence p = rooms.get(leave.room());
        if (p == null || p.leaving.get(leave.user()) != leave) {
            return; // back in the meantime, maybe gone again with a later leave
        }
        p.leaving.remove(leave.user());
        p.present.remove(leave.user());
        if (p.present.isEmpty()) {
            rooms.remove(leave.room());
        }
        node.presence(new PresenceEvent(leave.room(), leave.user(), false));
    }

    @Override
    public synchronized long users(String room) {
        Presence p = rooms.get(room);
        return p == null ? 0 : p.present.size();
    }

    @Override
    public synchronized List<String> users(String room, String after, int limit) {
        Presence p = rooms.get(room);
        if (p == null) {
            return List.of();
        }
        NavigableSet<String> from = after == null ? p.present : p.present.tailSet(after, false);
        return from.stream().limit(limit).toList();
    }

    @Override
    public boolean healthy() {
        return true;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
