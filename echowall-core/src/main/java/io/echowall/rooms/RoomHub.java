package io.echowall.rooms;

import io.echowall.Broker;
import io.echowall.Message;
import io.echowall.Position;
import io.echowall.PresenceEvent;
import io.echowall.RoomOptions;
import io.echowall.Rooms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The rooms of an app on this server: who is in which room here, fan-out to them through a
 * {@link Fanout}, and everything that spans servers through the {@link Broker}. It is the app's
 * {@link Rooms} and the broker's {@link Broker.Node}.
 *
 * <p>Membership changes for a room happen one at a time (under the room map's lock for that room), so
 * the broker hears of subscriptions and presence in the order they happened.
 */
public final class RoomHub implements Rooms, Broker.Node {

    private static final Logger log = LoggerFactory.getLogger(RoomHub.class);

    private final String id = UUID.randomUUID().toString();
    private final Broker broker;
    private final Duration presenceGrace;
    private final Fanout fanout;
    private final RoomOptionsTable options;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Map<Member, String> tags = new ConcurrentHashMap<>();
    private final Map<String, Member> publishers = new ConcurrentHashMap<>();
    private final AtomicLong tagCounter = new AtomicLong();
    private final List<Consumer<PresenceEvent>> presenceListeners = new CopyOnWriteArrayList<>();
    // Counts for the app's meters, which are made only when the server starts.
    private final LongAdder members = new LongAdder();
    private final LongAdder published = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder outages = new LongAdder();
    private volatile ExecutorService presenceCalls;
    private volatile boolean open;

    /** A hub over {@code broker}, writing through {@code fanout}, with rooms configured by {@code options}. */
    public RoomHub(Broker broker, Duration presenceGrace, Fanout fanout, RoomOptionsTable options) {
        this.broker = broker;
        this.presenceGrace = presenceGrace;
        this.fanout = fanout;
        this.options = options;
    }

    /** Opens the broker; the server calls it when it starts. */
    public void open() {
        // One thread, so listeners hear of presence in order; made anew for an app started again.
        presenceCalls = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("echowall-presence").factory());
        broker.open(this);
        open = true;
    }

    /** Closes the broker; the server calls it when it stops, after its connections are gone. */
    public void close() {
        open = false;
        broker.close();
        presenceCalls.shutdown();
    }

    // ---------------------------------------------------------------- membership, from connections

    /** Adds {@code member}, a connection of {@code user}, to {@code room}; any thread. */
    void join(Member member, String user, String room) {
        rooms.compute(room, (name, existing) -> {
            Room r = existing != null ? existing : new Room(name, options.of(name));
            boolean firstHere = r.isEmpty();
            int before = r.size();
            boolean firstOfUser = r.add(member, user);
            members.add(r.size() - before);
            if (firstOfUser) {
                if (firstHere) {
                    broker.subscribe(name);
                }
                broker.joined(name, user);
            }
            return r;
        });
    }

    /**
     * Removes {@code member}, a connection of {@code user}, from {@code room}; any thread. A user the app
     * named leaves after the grace period, as it may come back; a connection that was a user of its own
     * ({@code named} false) leaves at once: whatever reconnects is a new connection, another user.
     */
    void leave(Member member, String user, boolean named, String room) {
        rooms.computeIfPresent(room, (name, r) -> {
            int before = r.size();
            boolean lastOfUser = r.remove(member, user);
            members.add(r.size() - before);
            if (lastOfUser) {
                broker.left(name, user, named ? presenceGrace : Duration.ZERO);
            }
            if (r.isEmpty()) {
                broker.unsubscribe(name);
                return null;
            }
            return r;
        });
    }

    /**
     * Publishes {@code message} to the room's members on every server but {@code except}; the broker
     * hands back the tag that names the publisher with the message, here and on the other servers.
     */
    CompletableFuture<Position> publish(String room, Message message, Member except, String idempotencyKey) {
        requireOpen();
        published.increment();
        String tag = null;
        if (except != null) {
            tag = publisherTag(except);
        }
        return broker.publish(room, message, tag, idempotencyKey);
    }

    /** The tag that names {@code member} as a publisher, kept while it is connected. */
    private String publisherTag(Member member) {
        String tag = tags.get(member);
        if (tag == null) {
            tag = id + "/" + tagCounter.incrementAndGet();
            String known = tags.putIfAbsent(member, tag);
            if (known != null) {
                return known;
            }
            publishers.put(tag, member);
        }
        return tag;
    }

    /** The member is gone: its publications still on their way reach everyone. */
    void forget(Member member) {
        String tag = tags.remove(member);
        if (tag != null) {
            publishers.remove(tag);
        }
    }

    // ---------------------------------------------------------------- Rooms

    @Override
    public void publish(String room, Message message) {
        publish(room, message, null, null).exceptionally(failure -> {
            log.warn("Publishing to room {} failed: {}", room, failure.toString());
            return null;
        });
    }

    @Override
    public CompletableFuture<Position> publish(String room, Message message, String idempotencyKey) {
        return publish(room, message, null, idempotencyKey);
    }

    /** Up to {@code limit} messages of the room's history after {@code after}; may block. */
    public Broker.Page history(String room, long after, int limit) {
        requireOpen();
        return broker.history(room, after, limit);
    }

    /** The room's options. */
    @Override
    public RoomOptions options(String room) {
        return options.of(room);
    }

    @Override
    public long users(String room) {
        requireOpen();
        return broker.users(room);
    }

    @Override
    public List<String> users(String room, String after, int limit) {
        requireOpen();
        return broker.users(room, after, limit);
    }

    @Override
    public void onPresence(Consumer<PresenceEvent> listener) {
        presenceListeners.add(listener);
    }

    private void requireOpen() {
        if (!open) {
            throw new IllegalStateException("rooms work while the app runs: start it first");
        }
    }

    // ---------------------------------------------------------------- Broker.Node

    @Override
    public String id() {
        return id;
    }

    @Override
    public Duration presenceGrace() {
        return presenceGrace;
    }

    @Override
    public void deliver(String room, Position position, Message message, String tag) {
        received.increment();
        Room r = rooms.get(room);
        if (r != null) {
            fanout.deliver(r, position, message, tag == null ? null : publishers.get(tag));
        }
    }

    @Override
    public void presence(PresenceEvent event) {
        Room r = rooms.get(event.room());
        if (r != null && r.hasSubscribers()) {
            fanout.tell(r, ClientProtocol.presence(event.room(), event.user(), event.joined()));
        }
        for (Consumer<PresenceEvent> listener : presenceListeners) {
            presenceCalls.execute(() -> {
                try {
                    listener.accept(event);
                } catch (Throwable t) {
                    log.error("A presence listener failed on {}", event, t);
                }
            });
        }
    }

    @Override
    public void health(boolean up) {
        if (up) {
            log.info("The room broker reaches the other servers again");
        } else {
            outages.increment();
            log.warn("The room broker lost the other servers; rooms deliver on this server only until it is back");
        }
    }

    /** Whether the broker reaches the other servers. */
    public boolean healthy() {
        return broker.healthy();
    }

    // ---------------------------------------------------------------- counts, for the app's meters

    /** Rooms with members on this server. */
    public int roomCount() {
        return rooms.size();
    }

    /** Room memberships of connections on this server. */
    public long memberCount() {
        return members.sum();
    }

    /** Messages published on this server, by its connections and through {@link Rooms#publish}. */
    public long publishedCount() {
        return published.sum();
    }

    /** Messages received from other servers through the broker. */
    public long receivedCount() {
        return received.sum();
    }

    /** Times the broker lost the other servers. */
    public long outageCount() {
        return outages.sum();
    }
}
