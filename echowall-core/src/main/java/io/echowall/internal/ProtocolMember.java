package io.echowall.internal;

import io.echowall.Broker;
import io.echowall.Message;
import io.echowall.Position;
import io.echowall.PublishRefused;
import io.echowall.RoomAccess;
import io.echowall.RoomOptions;
import io.echowall.WebSocket;
import io.echowall.WebSocketHandler;
import io.echowall.rooms.ClientProtocol;
import io.echowall.rooms.ClientProtocol.Refusal;
import io.echowall.rooms.ClientProtocol.Unrecovered;
import io.echowall.rooms.RoomCursor;
import io.echowall.rooms.RoomHub;
import io.echowall.rooms.Subscriber;
import io.echowall.websocket.Closes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One connection of an {@code echowall.v1} endpoint: it serves the client's requests on the
 * connection's virtual thread, and is the room member that gets room messages in their envelope.
 *
 * <p>Each room's {@link RoomCursor} lives on the connection's event loop, where live messages and pages
 * of history are both written, so the two never overtake each other. Catching up from the history runs
 * on a virtual thread of its own, a page at a time, waiting while the client reads slowly: a gap of any
 * size costs one page of memory.
 *
 * <p>The connection is a WebSocket or an event stream ({@link EventStreamWire}): both are a
 * {@link WebSocketConnection} over a different wire, so nothing here depends on which.
 */
final class ProtocolMember implements Subscriber, WebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(ProtocolMember.class);

    /** Messages per page of history: small enough to keep memory flat, large enough to replay fast. */
    private static final int PAGE = 64;

    /**
     * Rooms one connection may subscribe to at once: each costs a cursor here and a membership in the
     * room, so a client must not be able to take them without end.
     */
    static final int MAX_ROOMS = 256;

    /** How long the client is told it may stay quiet before it pings. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(25);

    private final RoomHub hub;
    private final WebSocketConnection connection;
    private final RoomAccess access;
    private final Duration sendTimeout;
    private final String streamSession;
    private final Map<String, RoomCursor> cursors = new ConcurrentHashMap<>();
    private volatile WebSocket session;
    /**
     * Whose space the ids of this client's publishes are counted in: a named user's keys are its own, so
     * no one can suppress its publications by guessing ids. Anonymous connections share one space (their
     * user is the connection's, new after each reconnect), where clients make ids unguessable, as
     * echowall.js does with a random client id.
     */
    private String keyOwner = "";

    /**
     * A member on {@code connection}; {@code streamSession} is the session an event stream's client posts
     * its requests to, named in the welcome, or null on a WebSocket.
     */
    ProtocolMember(RoomHub hub, WebSocketConnection connection, RoomAccess access, Duration sendTimeout,
                   String streamSession) {
        this.hub = hub;
        this.connection = connection;
        this.access = access;
        this.sendTimeout = sendTimeout;
        this.streamSession = streamSession;
    }

    WebSocketConnection connection() {
        return connection;
    }

    @Override
    public Object lane() {
        return connection.lane();
    }

    @Override
    public RoomCursor cursor(String room) {
        return cursors.get(room);
    }

    @Override
    public void catchUp(String room) {
        RoomCursor cursor = cursors.get(room);
        if (cursor != null) {
            Thread.ofVirtual().name("echowall-catch-up").start(() -> replay(room, cursor, null));
        }
    }

    // ---------------------------------------------------------------- the client's requests

    @Override
    public void handle(WebSocket ws) {
        session = ws;
        String user = access.user(ws);
        if (user != null) {
            ws.user(user);
            keyOwner = user;
        }
        ws.send(ClientProtocol.welcome(ws.user(), HEARTBEAT.toMillis(), streamSession));
        for (Message message : ws) {
            if (message.isBinary()) {
                ws.send(ClientProtocol.error(Refusal.BAD_REQUEST, "messages are JSON text, not binary", null, null));
                continue;
            }
            switch (ClientProtocol.parse(message.text())) {
                case ClientProtocol.Ping ping -> ws.send(ClientProtocol.pong());
                case ClientProtocol.Invalid bad -> ws.send(ClientProtocol.error(bad.refusal(), bad.message(), bad.id(), bad.room()));
                case ClientProtocol.Subscribe subscribe -> subscribe(ws, subscribe);
                case ClientProtocol.Unsubscribe unsubscribe -> unsubscribe(ws, unsubscribe.room());
                case ClientProtocol.Publish publish -> publish(ws, publish);
            }
        }
    }

    private void subscribe(WebSocket ws, ClientProtocol.Subscribe request) {
        String room = request.room();
        if (cursors.containsKey(room)) {
            ws.send(ClientProtocol.error(Refusal.BAD_REQUEST, "subscribed already", null, room));
            return;
        }
        if (cursors.size() >= MAX_ROOMS) {
            ws.send(ClientProtocol.error(Refusal.TOO_MANY_ROOMS, "at most " + MAX_ROOMS + " rooms per connection", null, room));
            return;
        }
        if (!access.maySubscribe(ws, room)) {
            ws.send(ClientProtocol.error(Refusal.FORBIDDEN, "not allowed to subscribe", null, room));
            return;
        }
        boolean replayable = hub.options(room).historySize() > 0;
        Broker.Page head = hub.history(room, Long.MAX_VALUE, 0);
        Position now = new Position(head.epoch(), head.latest());
        Position since = request.since();
        Position start = now;
        Boolean recovered = null;
        Unrecovered why = null;
        if (since != null) {
            if (!replayable) {
                why = Unrecovered.NO_HISTORY;
            } else if (!since.epoch().equals(head.epoch()) || since.offset() > head.latest()) {
                why = Unrecovered.EPOCH;
            } else if (since.offset() + 1 < head.oldest() && since.offset() < head.latest()) {
                why = Unrecovered.TRIMMED;
            } else {
                start = since;
            }
            recovered = why == null;
        }
        RoomCursor cursor = new RoomCursor(start, replayable);
        cursors.put(room, cursor);
        ws.join(room); // live messages are passed over from now until the catch-up below reaches them
        String subscribed = ClientProtocol.subscribed(room, start, hub.users(room), recovered, why);
        Thread.ofVirtual().name("echowall-catch-up").start(() -> replay(room, cursor, subscribed));
    }

    private void unsubscribe(WebSocket ws, String room) {
        if (cursors.remove(room) == null) {
            ws.send(ClientProtocol.error(Refusal.NOT_SUBSCRIBED, "not subscribed", null, room));
            return;
        }
        ws.leave(room);
        ws.send(ClientProtocol.unsubscribed(room));
    }

    private void publish(WebSocket ws, ClientProtocol.Publish request) {
        String room = request.room();
        if (!access.mayPublish(ws, room)) {
            ws.send(ClientProtocol.error(Refusal.FORBIDDEN, "not allowed to publish", request.id(), room));
            return;
        }
        String data;
        try {
            data = access.publishing(ws, room, request.data());
        } catch (PublishRefused refused) {
            ws.send(ClientProtocol.error(Refusal.FORBIDDEN, refused.getMessage(), request.id(), room));
            return;
        }
        String key = keyOwner + '\u0000' + request.id();
        Position position = await(hub.publish(room, Message.text(data), key), "publishing to " + room);
        if (position != null) {
            ws.send(ClientProtocol.ack(request.id(), room, position));
        }
    }

    // ---------------------------------------------------------------- catching up from the history

    /**
     * Writes the room's history after the cursor, a page at a time, until the cursor caught up with the
     * live messages it passed over; {@code first}, if not null, is written before anything else.
     */
    private void replay(String room, RoomCursor cursor, String first) {
        String notice = first;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos(); // a publisher faster than any reader
        while (open() && System.nanoTime() - deadline < 0) {
            Long after = onLoop(() -> cursor.position().offset());
            if (after == null) {
                return;
            }
            Broker.Page page;
            try {
                page = hub.history(room, after, PAGE);
            } catch (RuntimeException e) {
                log.warn("Reading the history of room {} failed; closing the connection so its client resumes", room, e);
                session.close(Closes.INTERNAL_ERROR);
                return;
            }
            String pending = notice;
            notice = null;
            Boolean done = onLoop(() -> writePage(room, cursor, page, after, pending));
            if (done == null || done) {
                return;
            }
            if (!awaitWritable()) {
                session.close(Closes.TOO_SLOW_FOR_ROOM);
                return;
            }
        }
    }

    /** Event loop: writes a page of history; whether the cursor caught up. */
    private boolean writePage(String room, RoomCursor cursor, Broker.Page page, long after, String notice) {
        if (cursors.get(room) != cursor) {
            return true; // unsubscribed meanwhile
        }
        if (notice != null) {
            connection.writeText(notice);
            cursor.announce();
        }
        if (!page.epoch().equals(cursor.position().epoch())) {
            cursor.skipTo(new Position(page.epoch(), page.latest()));
            connection.writeText(ClientProtocol.subscribed(room, cursor.position(), hub.users(room), false, Unrecovered.EPOCH));
            return cursor.finishCatchUp();
        }
        if (page.oldest() > after + 1 && page.latest() > after) {
            cursor.skipTo(new Position(page.epoch(), page.oldest() - 1));
            connection.writeText(ClientProtocol.subscribed(room, cursor.position(), hub.users(room), false, Unrecovered.TRIMMED));
        }
        for (Broker.Entry entry : page.messages()) {
            if (!connection.isWritable()) {
                return false;
            }
            if (cursor.replayed(entry)) {
                connection.writeText(ClientProtocol.message(room, new Position(page.epoch(), entry.offset()), entry.message()));
            }
        }
        return page.messages().size() < PAGE && cursor.finishCatchUp();
    }

    private boolean open() {
        WebSocket ws = session;
        return ws != null && ws.state() == WebSocket.State.OPEN;
    }

    /** Waits, within the send timeout, until the client took what waits for it; whether it did. */
    private boolean awaitWritable() {
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        while (!connection.isWritable()) {
            if (!open() || System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return true;
    }

    /** Runs {@code task} on the connection's event loop and waits for its result; null if the connection is gone. */
    private <T> T onLoop(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        connection.execute(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return await(result, "the connection's event loop");
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(sendTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (TimeoutException e) {
            log.warn("Waited {} for {} in vain", sendTimeout, what);
            return null;
        } catch (ExecutionException e) {
            log.warn("{} failed", what, e.getCause());
            return null;
        }
    }
}
