package io.echowall.rooms;

import io.echowall.Broker;
import io.echowall.Message;
import io.echowall.PresenceEvent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The broker of an app that runs on one server: there are no other servers to reach, so publications
 * stay here, and presence is counted in memory, with the grace period kept by a timer.
 */
public final class LocalBroker implements Broker {

    /** Who is in one room, and who is on the way out. */
    private static final class Presence {
        final Map<String, Integer> connections = new HashMap<>();
        final NavigableSet<String> present = new TreeSet<>();
        final Map<String, ScheduledFuture<?>> leaving = new HashMap<>();
    }

    private final Map<String, Presence> rooms = new HashMap<>();
    private Node node;
    private ScheduledExecutorService timer;

    @Override
    public synchronized void open(Node node) {
        this.node = node;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("echowall-presence-grace").daemon().factory());
    }

    @Override
    public void subscribe(String room) {
        // One server: nothing to subscribe to.
    }

    @Override
    public void unsubscribe(String room) {
        // One server: nothing to unsubscribe from.
    }

    @Override
    public void publish(String room, Message message) {
        // One server: the hub delivered it here already, and there is nowhere else to send it.
    }

    @Override
    public synchronized void joined(String room, String user) {
        Presence p = rooms.computeIfAbsent(room, r -> new Presence());
        if (p.connections.merge(user, 1, Integer::sum) == 1) {
            ScheduledFuture<?> leave = p.leaving.remove(user);
            if (leave != null) {
                leave.cancel(false); // back within the grace period: it never left
            } else {
                p.present.add(user);
                node.presence(new PresenceEvent(room, user, true));
            }
        }
    }

    @Override
    public synchronized void left(String room, String user) {
        Presence p = rooms.get(room);
        if (p == null || p.connections.merge(user, -1, (a, b) -> a + b == 0 ? null : a + b) != null) {
            return;
        }
        p.leaving.put(user, timer.schedule(() -> leaveNow(room, user),
                node.presenceGrace().toNanos(), TimeUnit.NANOSECONDS));
    }

    private synchronized void leaveNow(String room, String user) {
        Presence p = rooms.get(room);
        if (p == null || p.leaving.remove(user) == null || p.connections.containsKey(user)) {
            return;
        }
        p.present.remove(user);
        if (p.present.isEmpty()) {
            rooms.remove(room);
        }
        node.presence(new PresenceEvent(room, user, false));
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
