package io.echowall.demo;

import io.echowall.Broker;
import io.echowall.Message;
import io.echowall.PresenceEvent;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Several apps in one JVM as the servers of one app: a stand-in for a broker such as Redis, for tests
 * of what must work on several servers. Each app gets its own {@link #broker()}; what one publishes
 * reaches the servers subscribed to the room, presence is counted across all of them with a grace
 * period, and every server hears each join and leave once. A server's callbacks run on a thread of
 * its own, in order, as the {@link Broker} contract asks.
 */
final class SharedBroker implements AutoCloseable {

    private final Duration grace;
    private final Set<Server> servers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("shared-broker-grace").daemon().factory());
    // Presence across the servers, guarded by this: connections per room and user, who is present, who is leaving.
    private final Map<String, Map<String, Integer>> connections = new HashMap<>();
    private final Map<String, NavigableSet<String>> present = new HashMap<>();
    private final Map<List<String>, ScheduledFuture<?>> leaving = new HashMap<>();

    /** A broker whose users leave once gone for {@code grace}. */
    SharedBroker(Duration grace) {
        this.grace = grace;
    }

    /** The broker of one more server. */
    Broker broker() {
        return new Server();
    }

    private synchronized void joined(String room, String user) {
        if (connections.computeIfAbsent(room, r -> new HashMap<>()).merge(user, 1, Integer::sum) > 1) {
            return;
        }
        ScheduledFuture<?> leave = leaving.remove(List.of(room, user));
        if (leave != null) {
            leave.cancel(false); // back within the grace period
        } else {
            present.computeIfAbsent(room, r -> new TreeSet<>()).add(user);
            announce(new PresenceEvent(room, user, true));
        }
    }

    private synchronized void left(String room, String user) {
        Map<String, Integer> users = connections.get(room);
        if (users == null || users.merge(user, -1, (a, b) -> a + b == 0 ? null : a + b) != null) {
            return;
        }
        leaving.put(List.of(room, user), timer.schedule(() -> leaveNow(room, user), grace.toNanos(), TimeUnit.NANOSECONDS));
    }

    private synchronized void leaveNow(String room, String user) {
        if (leaving.remove(List.of(room, user)) != null) {
            present.get(room).remove(user);
            announce(new PresenceEvent(room, user, false));
        }
    }

    private void announce(PresenceEvent event) {
        servers.forEach(server -> server.call(node -> node.presence(event)));
    }

    private synchronized List<String> users(String room, String after, int limit) {
        NavigableSet<String> users = present.getOrDefault(room, new TreeSet<>());
        return (after == null ? users : users.tailSet(after, false)).stream().limit(limit).toList();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One server's side. */
    private final class Server implements Broker {
        private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
        private final ExecutorService callbacks = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("shared-broker-callbacks").daemon().factory());
        private volatile Node node;

        void call(java.util.function.Consumer<Node> callback) {
            try {
                callbacks.execute(() -> callback.accept(node));
            } catch (RejectedExecutionException stopped) {
                // This server has stopped: there is no one left to tell.
            }
        }

        @Override
        public void open(Node node) {
            this.node = node;
            servers.add(this);
        }

        @Override
        public void subscribe(String room) {
            subscribed.add(room);
        }

        @Override
        public void unsubscribe(String room) {
            subscribed.remove(room);
        }

        @Override
        public void publish(String room, Message message) {
            for (Server other : servers) {
                if (other != this && other.subscribed.contains(room)) {
                    other.call(node -> node.deliver(room, message));
                }
            }
        }

        @Override
        public void joined(String room, String user) {
            SharedBroker.this.joined(room, user);
        }

        @Override
        public void left(String room, String user) {
            SharedBroker.this.left(room, user);
        }

        @Override
        public long users(String room) {
            return SharedBroker.this.users(room, null, Integer.MAX_VALUE).size();
        }

        @Override
        public List<String> users(String room, String after, int limit) {
            return SharedBroker.this.users(room, after, limit);
        }

        @Override
        public boolean healthy() {
            return true;
        }

        @Override
        public void close() {
            servers.remove(this);
            callbacks.shutdown();
        }
    }
}
