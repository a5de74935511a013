package io.echowall.rooms;

import io.echowall.Broker;
import io.echowall.Message;
import io.echowall.PresenceEvent;
import io.echowall.RoomOptions;
import io.echowall.Rooms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private final List<Consumer<PresenceEvent>> presenceListeners = new CopyOnWriteArrayList<>();
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
            if (r.add(member, user)) {
                if (firstHere) {
                    broker.subscribe(name);
                }
                broker.joined(name, user);
            }
            return r;
        });
    }

    /** Removes {@code member}, a connection of {@code user}, from {@code room}; any thread. */
    void leave(Member member, String user, String room) {
        rooms.computeIfPresent(room, (name, r) -> {
            if (r.remove(member, user)) {
                broker.left(name, user);
            }
            if (r.isEmpty()) {
                broker.unsubscribe(name);
                return null;
            }
            return r;
        });
    }

    /** Sends {@code message} to the room's members here but {@code except}, then to the other servers. */
    void publish(String room, Message message, Member except) {
        requireOpen();
        Room r = rooms.get(room);
        if (r != null) {
            fanout.deliver(r, message, except);
        }
        broker.publish(room, message);
    }

    // ---------------------------------------------------------------- Rooms

    @Override
    public void publish(String room, Message message) {
        publish(room, message, null);
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
    public void deliver(String room, Message message) {
        Room r = rooms.get(room);
        if (r != null) {
            fanout.deliver(r, message, null);
        }
    }

    @Override
    public void presence(PresenceEvent event) {
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
            log.warn("The room broker lost the other servers; rooms deliver on this server only until it is back");
        }
    }

    /** Whether the broker reaches the other servers. */
    public boolean healthy() {
        return broker.healthy();
    }
}
