package io.echowall.redis;

import io.echowall.Broker;
import io.echowall.Message;
import io.echowall.Position;
import io.echowall.PresenceEvent;
import io.echowall.RoomOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A {@link Broker} for an app that runs on several servers sharing a Redis: room messages get their
 * positions and are kept in Redis, travel over Redis pub/sub, and presence is kept in Redis by Lua
 * scripts, with a lease per server.
 *
 * <pre>{@code
 * var app = Echowall.create(config -> config.withBroker(RedisBroker.connect("redis://10.0.0.5:6379")));
 * }</pre>
 *
 * <p>What it keeps, in Redis:
 * <ul>
 *   <li>Each room has a log (its epoch and latest offset), a history (a stream of its latest messages,
 *       within the room's {@link RoomOptions#historySize()} and {@link RoomOptions#historyAge()}) and a
 *       channel, which a server subscribes to while it has members in the room. One script gives a
 *       message its offset, keeps it in the history and publishes it, so every server, the publisher's
 *       included, gets a room's messages in offset order. All of a server's publications go out on one
 *       connection, in order. Idempotency keys are kept for {@link Broker#DEDUPE_WINDOW}.
 *   <li>Each room has its present users (a sorted set: counted in O(1), listed in order), how many
 *       connections each user has on each server, and the users in their grace period. Every change goes
 *       through a script that runs atomically, so each join and leave is decided once, and announced on
 *       one presence channel that every server hears.
 *   <li>Each server holds a lease it renews every third of {@linkplain RedisBrokerOptions#leaseTime() the
 *       lease time}. When a server's lease lapses (it died without warning), one of the others claims it
 *       and removes its connections; its users leave after the grace period, counted from the lapse.
 * </ul>
 *
 * <p>When Redis cannot be reached, publications stay on their server, with positions in an epoch of the
 * server's own (kept in memory until Redis is back), {@link #healthy()} is false and the node hears
 * {@code health(false)}. Lettuce reconnects by
 * itself; the broker then renews its lease, subscribes again, sends the presence changes Redis missed
 * (the counts it sends are absolute, so sending one twice changes nothing) and says {@code health(true)}.
 * If Redis lost its data meanwhile, every server registers again what it holds, without announcing
 * joins for users already present before.
 *
 * <p>{@link #users(String)}, {@link #users(String, String, int)} and {@link #history} ask Redis and wait for
 * the answer, up to {@linkplain RedisBrokerOptions#commandTimeout() the command timeout}; while Redis
 * cannot be reached they answer from this server alone. Every other method returns at once.
 */
public final class RedisBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    /** How many dead servers one reaper claims per lease renewal. */
    private static final int CLAIMS_PER_ROUND = 10;

    /**
     * How long a room's log (its epoch and latest offset) outlives its history's age after the room's last
     * message: a client back within a day to a quiet room resumes where it was, rather than being told its
     * history was lost. About a hundred bytes per room.
     */
    static final Duration LOG_KEPT = Duration.ofDays(1);

    /** A user of a room whose count in Redis may be out of date. */
    private record Seat(String room, String user) {
    }

    /**
     * Holds a room's publications while this server's subscription to it is on its way, so that the
     * server gets its own: sent in order once the subscription is in place. Reads of the room's history
     * wait for it too (see {@link #history}).
     */
    private static final class Gate {
        private List<Runnable> waiting = new ArrayList<>();
        private final CompletableFuture<Void> opened = new CompletableFuture<>();

        /** Queues {@code send}; false if the gate is open, and the caller sends at once. */
        synchronized boolean hold(Runnable send) {
            if (waiting == null) {
                return false;
            }
            waiting.add(send);
            return true;
        }

        /** Sends what waits, in order, and lets later publications through. */
        synchronized void open() {
            List<Runnable> sends = waiting;
            waiting = null;
            if (sends != null) {
                sends.forEach(Runnable::run);
            }
            opened.complete(null);
        }

        /** Waits until the gate is open, or {@code timeout} has passed. */
        void awaitOpen(Duration timeout) {
            try {
                opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // read what there is: the subscription failed or is slow, and health says so
            }
        }
    }

    private final RedisBrokerOptions options;
    private final Keys keys;
    private final String address;
    private final Link link;
    private final RedisClusterAsyncCommands<byte[], byte[]> commands;
    private final long leaseMillis;
    private final long renewMillis;

    private final OwnHistories own = new OwnHistories();
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();

    private Node node;
    private byte[] presenceChannel;
    private byte[] publishCommand;
    private volatile ScheduledExecutorService timer;

    // This server's own state; Redis is repaired from it. Guarded by this.
    private final Map<String, Map<String, Integer>> connections = new HashMap<>();
    private final Set<String> subscribed = new HashSet<>();
    private final Set<String> unsubscribeFailed = new HashSet<>();
    private final Set<Seat> stale = new HashSet<>();
    private final Map<String, Integer> sweeps = new HashMap<>();
    private String server;
    private int incarnation;

    // Touched on the timer thread only, but for healthy, read anywhere.
    private volatile boolean healthy = true;
    private boolean reportedUp = true;
    private boolean renewing;
    private long healthySince;
    private String epoch;
    private volatile boolean closed;

    private RedisBroker(String address, RedisBrokerOptions options, Function<Callbacks, Link> connector) {
        this.options = Objects.requireNonNull(options, "options");
        this.keys = new Keys(options.keyPrefix());
        this.address = address;
        this.leaseMillis = options.leaseTime().toMillis();
        this.renewMillis = Math.max(100, leaseMillis / 3);
        this.link = connector.apply(new Callbacks());
        this.commands = link.commands();
    }

    /**
     * Connects to the Redis at {@code uri} ({@code redis://host:port}, {@code rediss://} for TLS, with
     * {@code user:password@} or {@code /database} as Lettuce reads them), with the default options.
     *
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now
     */
    public static RedisBroker connect(String uri) {
        return connect(uri, RedisBrokerOptions.defaults());
    }

    /** Connects to the Redis at {@code uri} with {@code options}. */
    public static RedisBroker connect(String uri, RedisBrokerOptions options) {
        return new RedisBroker(uri, options, callbacks -> new Link.Single(uri, options.commandTimeout(), callbacks, callbacks));
    }

    /**
     * Connects to the Redis Cluster that {@code uris} (some of its nodes) belong to. Room messages use
     * sharded pub/sub, which needs Redis 7 or newer.
     */
    public static RedisBroker connectCluster(List<String> uris, RedisBrokerOptions options) {
        List<String> seeds = List.copyOf(uris);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("name at least one node of the cluster");
        }
        return new RedisBroker(String.join(",", seeds), options,
                callbacks -> new Link.Cluster(seeds, options.commandTimeout(), callbacks, callbacks));
    }

    /** Connects to the Redis Cluster that {@code uris} belong to, with the default options. */
    public static RedisBroker connectCluster(String... uris) {
        return connectCluster(List.of(uris), RedisBrokerOptions.defaults());
    }

    /** The options this broker runs with. */
    public RedisBrokerOptions options() {
        return options;
    }

    // ---------------------------------------------------------------- Broker

    @Override
    public void open(Node node) {
        this.node = node;
        this.presenceChannel = keys.presence();
        this.publishCommand = link.publishCommand();
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("echowall-redis").daemon().factory());
        synchronized (this) {
            server = node.id() + "#" + ++incarnation;
        }
        // The server is starting, not serving yet: waiting here costs nobody.
        List<Object> lease = await(lease("take"));
        epoch = text(lease.get(1));
        await(link.subscribePresence(presenceChannel));
        timer.execute(() -> healthySince = System.nanoTime());
        timer.scheduleWithFixedDelay(this::renew, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void subscribe(String room) {
        subscribed.add(room);
        unsubscribeFailed.remove(room);
        Gate gate = new Gate();
        gates.put(room, gate);
        link.subscribe(keys.messages(room)).whenComplete((done, error) -> {
            gate.open(); // failed too: the publications go, and fall back to this server if Redis is gone
            gates.remove(room, gate);
            if (error != null) {
                failed(error);
            }
        });
    }

    @Override
    public synchronized void unsubscribe(String room) {
        subscribed.remove(room);
        link.unsubscribe(keys.messages(room)).exceptionally(e -> {
            synchronized (this) {
                if (!subscribed.contains(room)) {
                    unsubscribeFailed.add(room);
                }
            }
            return failed(e);
        });
    }

    @Override
    public CompletableFuture<Position> publish(String room, Message message, String tag, String idempotencyKey) {
        RoomOptions limits = node.options(room);
        if (!healthy) {
            return CompletableFuture.completedFuture(publishHere(room, message, tag, idempotencyKey, limits));
        }
        CompletableFuture<Position> published = new CompletableFuture<>();
        Runnable send = () -> send(room, message, tag, idempotencyKey, limits, published);
        Gate gate = gates.get(room);
        if (gate == null || !gate.hold(send)) {
            send.run();
        }
        return published;
    }

    /** Runs {@code publish.lua}; if Redis cannot be reached, publishes on this server alone. */
    private void send(String room, Message message, String tag, String idempotencyKey, RoomOptions limits,
                      CompletableFuture<Position> published) {
        byte[][] roomKeys = idempotencyKey == null
                ? new byte[][] {keys.log(room), keys.history(room)}
                : new byte[][] {keys.log(room), keys.history(room), keys.seen(room, idempotencyKey)};
        long age = limits.historyAge().toMillis();
        commands.<List<Object>>eval(Script.PUBLISH.source, ScriptOutputType.MULTI, roomKeys,
                Keys.bytes(OwnHistories.newEpoch()), number(limits.historySize()), number(age),
                number(age + LOG_KEPT.toMillis()), number(DEDUPE_WINDOW.toMillis()), publishCommand,
                keys.messages(room), Wire.kind(message), Wire.tag(tag), Wire.payload(message))
                .whenComplete((reply, error) -> {
                    if (error == null) {
                        published.complete(new Position(text(reply.get(1)), (Long) reply.get(2)));
                    } else if (error instanceof RedisCommandExecutionException) {
                        published.completeExceptionally(error); // Redis answered, and refused: not an outage
                    } else {
                        failed(error);
                        published.complete(publishHere(room, message, tag, idempotencyKey, limits));
                    }
                });
    }

    /** Publishes on this server alone, in an epoch of its own, while Redis cannot be reached. */
    private Position publishHere(String room, Message message, String tag, String idempotencyKey, RoomOptions limits) {
        OwnHistories.Room history = own.room(room);
        synchronized (history) { // a position given and delivered in one step, so delivery follows their order
            OwnHistories.Appended appended = history.append(message, idempotencyKey, limits.historySize(),
                    limits.historyAge(), System.nanoTime());
            if (appended.applied()) {
                node.deliver(room, appended.position(), message, tag);
            }
            return appended.position();
        }
    }

    /**
     * Reads the room's history from Redis with {@code history.lua}, which also drops what aged out; while
     * Redis cannot be reached, from this server's own, where the messages published meanwhile are.
     */
    @Override
    public Page history(String room, long after, int limit) {
        Gate gate = gates.get(room);
        if (gate != null) {
            // A subscriber's catch-up reads the history, then takes live messages: read once this
            // server hears the room's messages, or one published in between reaches it by neither.
            gate.awaitOpen(options.commandTimeout());
        }
        RoomOptions limits = node.options(room);
        if (healthy) {
            long age = limits.historyAge().toMillis();
            CompletableFuture<List<Object>> read = commands.<List<Object>>eval(Script.HISTORY.source,
                    ScriptOutputType.MULTI, new byte[][] {keys.log(room), keys.history(room)},
                    Keys.bytes(OwnHistories.newEpoch()), number(after), number(Math.max(0, limit)), number(age),
                    number(age + LOG_KEPT.toMillis())).toCompletableFuture();
            try {
                return page(read.get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the history of " + room, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RedisCommandExecutionException refused) {
                    throw refused;
                }
                failed(e.getCause());
            } catch (TimeoutException e) {
                failed(e);
            }
        }
        return own.read(room, after, limit, limits.historyAge(), System.nanoTime());
    }

    /** The page in a reply of {@code history.lua}. */
    @SuppressWarnings("unchecked")
    private static Page page(List<Object> reply) {
        List<Entry> entries = new ArrayList<>();
        for (Object item : (List<Object>) reply.get(3)) {
            List<Object> entry = (List<Object>) item;
            String id = text(entry.get(0));
            List<Object> fields = (List<Object>) entry.get(1);
            entries.add(new Entry(Long.parseLong(id.substring(0, id.indexOf('-'))),
                    Wire.entry((byte[]) fields.get(0), (byte[]) fields.get(1))));
        }
        return new Page(text(reply.get(0)), (Long) reply.get(1), (Long) reply.get(2), entries);
    }

    @Override
    public synchronized void joined(String room, String user) {
        Map<String, Integer> users = connections.get(room);
        if (users == null) {
            users = new HashMap<>();
            connections.put(room, users);
            commands.sadd(keys.rooms(server), Keys.bytes(room)).exceptionally(this::failed);
        }
        setConnections(room, user, users.merge(user, 1, Integer::sum), node.presenceGrace(), false);
    }

    @Override
    public synchronized void left(String room, String user, Duration grace) {
        Map<String, Integer> users = connections.get(room);
        if (users == null || !users.containsKey(user)) {
            return;
        }
        Integer left = users.computeIfPresent(user, (u, n) -> n > 1 ? n - 1 : null);
        if (users.isEmpty()) {
            connections.remove(room);
        }
        setConnections(room, user, left == null ? 0 : left, grace, false);
        forgetRoomIfDone(room);
    }

    @Override
    public long users(String room) {
        try {
            return await(commands.zcard(keys.users(room)));
        } catch (RuntimeException e) {
            synchronized (this) {
                return connections.getOrDefault(room, Map.of()).size();
            }
        }
    }

    @Override
    public List<String> users(String room, String after, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        Range<byte[]> range = after == null ? Range.unbounded()
                : Range.from(Range.Boundary.excluding(Keys.bytes(after)), Range.Boundary.unbounded());
        try {
            return await(commands.zrangebylex(keys.users(room), range, Limit.create(0, limit))).stream()
                    .map(RedisBroker::text).toList();
        } catch (RuntimeException e) {
            synchronized (this) {
                TreeSet<String> here = new TreeSet<>(connections.getOrDefault(room, Map.of()).keySet());
                return (after == null ? here : here.tailSet(after, false)).stream().limit(limit).toList();
            }
        }
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    /**
     * Stops: this server's remaining users start their grace period, its lease ends now so that another
     * server finishes their leaves, and the connections to Redis close.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<?>> last = new ArrayList<>();
        if (node != null) {
            synchronized (this) {
                for (var room : List.copyOf(connections.keySet())) {
                    for (var user : List.copyOf(connections.get(room).keySet())) {
                        last.add(setConnections(room, user, 0, node.presenceGrace(), false));
                    }
                }
                connections.clear();
            }
            last.add(lease("end").toCompletableFuture());
            timer.shutdownNow();
        }
        try {
            CompletableFuture.allOf(last.toArray(CompletableFuture[]::new))
                    .get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.debug("Could not hand this server's presence over before closing", e);
        } finally {
            link.close();
        }
    }

    @Override
    public String toString() {
        return "RedisBroker(" + address + ")";
    }

    // ---------------------------------------------------------------- presence

    /**
     * Sends the absolute count of {@code user}'s connections here, and the grace period that starts if it
     * is the user's last; holds this.
     */
    private CompletableFuture<Long> setConnections(String room, String user, int count, Duration grace, boolean quiet) {
        byte[][] args = {Keys.bytes(user), number(count), number(Math.max(0, grace.toMillis())),
                presenceChannel, Keys.bytes(Wire.room(room)), Keys.bytes(quiet ? "1" : "0")};
        CompletableFuture<Long> sent = commands.<Long>eval(Script.SET_CONNECTIONS.source, ScriptOutputType.INTEGER,
                keys.room(room, server), args).toCompletableFuture();
        sent.whenComplete((sweepIn, error) -> {
            if (error != null) {
                synchronized (this) {
                    stale.add(new Seat(room, user));
                }
                failed(error);
            } else if (sweepIn >= 0) {
                sweepLater(room, sweepIn);
            }
        });
        return sent;
    }

    /** Announces the leaves of {@code room} that are due, after {@code millis}. */
    private synchronized void sweepLater(String room, long millis) {
        if (closed) {
            return;
        }
        try {
            timer.schedule(() -> sweep(room), millis + 1, TimeUnit.MILLISECONDS);
            sweeps.merge(room, 1, Integer::sum);
        } catch (RejectedExecutionException e) {
            // closing: the lease ends and another server sweeps
        }
    }

    private void sweep(String room) {
        byte[][] roomKeys = keys.room(room, server);
        commands.<Long>eval(Script.SWEEP.source, ScriptOutputType.INTEGER, Arrays.copyOf(roomKeys, 3),
                presenceChannel, Keys.bytes(Wire.room(room))).whenComplete((next, error) -> {
                    if (error != null) {
                        failed(error);
                        // The leaves wait in Redis: try again a renewal later, counted as a new sweep.
                        onTimer(() -> sweepLater(room, renewMillis));
                        synchronized (this) {
                            sweeps.computeIfPresent(room, (r, n) -> n > 1 ? n - 1 : null);
                        }
                        return;
                    }
                    synchronized (this) {
                        sweeps.computeIfPresent(room, (r, n) -> n > 1 ? n - 1 : null);
                        forgetRoomIfDone(room);
                    }
                });
    }

    /** Drops {@code room} from this server's rooms in Redis once it holds nothing there; holds this. */
    private void forgetRoomIfDone(String room) {
        if (!connections.containsKey(room) && !sweeps.containsKey(room) && !closed) {
            commands.srem(keys.rooms(server), Keys.bytes(room)).exceptionally(this::failed);
        }
    }

    // ---------------------------------------------------------------- lease, health, repair

    private CompletionStage<List<Object>> lease(String mode) {
        String name;
        synchronized (this) {
            name = server;
        }
        return commands.<List<Object>>eval(Script.LEASE.source, ScriptOutputType.MULTI,
                new byte[][] {keys.servers(), keys.epoch()}, Keys.bytes(name), number(leaseMillis),
                Keys.bytes(UUID.randomUUID().toString()), Keys.bytes(mode));
    }

    /** Renews the lease, repairs after an outage, reaps dead servers; on the timer thread. */
    private void renew() {
        if (closed || renewing) {
            return;
        }
        if (!link.isOpen()) {
            lost(null);
            return;
        }
        renewing = true;
        lease("renew").whenCompleteAsync((reply, error) -> {
            if (error != null) {
                renewing = false;
                lost(error);
                return;
            }
            boolean held = ((Long) reply.get(0)) == 1;
            String current = text(reply.get(1));
            if (!healthy || !held || !current.equals(epoch)) {
                repair(held, current);
            } else {
                renewing = false;
                if (System.nanoTime() - healthySince >= TimeUnit.MILLISECONDS.toNanos(leaseMillis)) {
                    reap();
                }
            }
        }, timer);
    }

    /**
     * Brings Redis back in line with this server after an outage: takes a new lease if the old one is gone
     * (reaped, or Redis lost its data), sends the counts Redis may have missed, and subscribes again.
     */
    private void repair(boolean held, String currentEpoch) {
        boolean dataLost = !currentEpoch.equals(epoch);
        epoch = currentEpoch;
        List<CompletableFuture<?>> sent = new ArrayList<>();
        synchronized (this) {
            if (!held) {
                // A new name: whatever a reaper still does to the old one cannot touch what is sent now.
                server = node.id() + "#" + ++incarnation;
                sent.add(lease("take").toCompletableFuture());
                for (var room : connections.keySet()) {
                    sent.add(commands.sadd(keys.rooms(server), Keys.bytes(room)).toCompletableFuture());
                    connections.get(room).forEach((user, count) ->
                            sent.add(setConnections(room, user, count, node.presenceGrace(), dataLost)));
                }
            } else {
                for (var room : connections.keySet()) {
                    sent.add(commands.sadd(keys.rooms(server), Keys.bytes(room)).toCompletableFuture());
                }
                for (var seat : stale) {
                    int count = connections.getOrDefault(seat.room(), Map.of()).getOrDefault(seat.user(), 0);
                    // A leave that did not reach Redis gets the whole grace period, also one given none.
                    sent.add(setConnections(seat.room(), seat.user(), count, node.presenceGrace(), false));
                }
            }
            stale.clear();
            sent.add(link.subscribePresence(presenceChannel).toCompletableFuture());
            if (!subscribed.isEmpty()) {
                sent.add(link.subscribe(subscribed.stream().map(keys::messages).toArray(byte[][]::new)).toCompletableFuture());
            }
            if (!unsubscribeFailed.isEmpty()) {
                sent.add(link.unsubscribe(unsubscribeFailed.stream().map(keys::messages).toArray(byte[][]::new)).toCompletableFuture());
                unsubscribeFailed.clear();
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenCompleteAsync((done, error) -> {
            renewing = false;
            if (error != null) {
                lost(error);
                return;
            }
            if (!healthy) {
                own.clear(); // the rooms go on in their Redis epochs
                healthy = true;
                healthySince = System.nanoTime();
            }
            if (!reportedUp) {
                reportedUp = true;
                log.debug("Redis at {} is back; {} rooms subscribed again", address, subscribed.size());
                node.health(true);
            }
        }, timer);
    }

    /** Redis cannot be reached: say so once; the next renewal repairs. On the timer thread. */
    private void lost(Throwable cause) {
        healthy = false;
        if (reportedUp && !closed) {
            reportedUp = false;
            log.debug("Lost Redis at {}", address, cause);
            node.health(false);
        }
    }

    /** Notes a failed command; the timer thread decides what it means. */
    private <T> T failed(Throwable error) {
        onTimer(() -> lost(error));
        return null;
    }

    /** Runs {@code task} on the timer thread, unless the broker is closed or not open yet. */
    private void onTimer(Runnable task) {
        ScheduledExecutorService t = timer;
        if (!closed && t != null) {
            try {
                t.execute(task);
            } catch (RejectedExecutionException e) {
                // closing: nothing left to report to
            }
        }
    }

    // ---------------------------------------------------------------- reaping

    /** Claims servers whose lease lapsed and removes what they held; on the timer thread. */
    private void reap() {
        commands.<List<Object>>eval(Script.CLAIM.source, ScriptOutputType.MULTI,
                new byte[][] {keys.servers(), keys.reaping(), keys.lapsed()},
                number(Math.max(leaseMillis, 3 * options.commandTimeout().toMillis())), number(CLAIMS_PER_ROUND))
                .whenCompleteAsync((claimed, error) -> {
                    if (error != null) {
                        failed(error);
                        return;
                    }
                    for (int i = 0; i + 1 < claimed.size(); i += 2) {
                        reap(text(claimed.get(i)), (long) Double.parseDouble(text(claimed.get(i + 1))));
                    }
                }, timer);
    }

    private void reap(String dead, long leaseEnd) {
        commands.smembers(keys.rooms(dead)).thenCompose(rooms -> {
            List<CompletableFuture<?>> reaped = new ArrayList<>();
            for (byte[] encoded : rooms) {
                String room = text(encoded);
                synchronized (this) {
                    // Until the sweeps below ran, this server answers for the room's pending leaves.
                    commands.sadd(keys.rooms(server), encoded).exceptionally(this::failed);
                    sweepLater(room, 0);
                    sweepLater(room, node.presenceGrace().toMillis());
                }
                byte[][] roomKeys = keys.room(room, dead);
                reaped.add(commands.<Long>eval(Script.REAP.source, ScriptOutputType.INTEGER, roomKeys,
                                number(leaseEnd), number(node.presenceGrace().toMillis()))
                        .thenAccept(due -> sweepLater(room, due)).toCompletableFuture());
            }
            return CompletableFuture.allOf(reaped.toArray(CompletableFuture[]::new)).thenApply(done -> rooms.size());
        }).thenCompose(rooms -> commands.<Long>eval(Script.REAPED.source, ScriptOutputType.INTEGER,
                new byte[][] {keys.reaping(), keys.lapsed(), keys.rooms(dead)}, Keys.bytes(dead))
                .thenApply(done -> rooms)
        ).whenComplete((rooms, error) -> {
            if (error != null) {
                // The claim runs out and this or another server reaps it again; reaping twice is harmless.
                failed(error);
            } else {
                log.info("Server {} stopped renewing its lease; removed its connections from {} rooms", dead, rooms);
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    /** Waits for a command, up to the command timeout. */
    private <T> T await(CompletionStage<T> command) {
        try {
            return command.toCompletableFuture().get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        } catch (Exception e) {
            throw new IllegalStateException("Redis at " + address + " did not answer: " + e, e);
        }
    }

    private static byte[] number(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.UTF_8);
    }

    /** What Lettuce calls: messages, presence events, and the connections going down and up. */
    private final class Callbacks extends RedisPubSubAdapter<byte[], byte[]> implements RedisConnectionStateListener {

        @Override
        public void message(byte[] channel, byte[] frame) {
            if (Arrays.equals(channel, presenceChannel)) {
                PresenceEvent event = Wire.presence(frame);
                if (event != null) {
                    node.presence(event);
                }
            } else {
                deliver(channel, frame);
            }
        }

        @Override
        public void smessage(byte[] channel, byte[] frame) {
            deliver(channel, frame);
        }

        private void deliver(byte[] channel, byte[] frame) {
            String room = keys.roomOf(channel);
            Wire.Delivery delivery = Wire.delivery(frame);
            if (room != null && delivery != null) {
                node.deliver(room, delivery.position(), delivery.message(), delivery.tag());
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            onTimer(() -> lost(null));
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            onTimer(RedisBroker.this::renew); // repair now rather than at the next renewal
        }
    }
}
