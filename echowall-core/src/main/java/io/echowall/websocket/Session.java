package io.echowall.websocket;

import io.echowall.CloseCode;
import io.echowall.CloseStatus;
import io.echowall.ConnectionClosed;
import io.echowall.Message;
import io.echowall.WebSocket;
import io.echowall.WebSocketHandler;
import io.echowall.WebSocketListener;
import io.echowall.http.QueryString;
import io.echowall.rooms.Seat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket session as user code sees it: the {@link WebSocket} API over the connection's
 * {@link Protocol}, its {@link Delivery} style and its {@link Transport}. Safe from any thread.
 *
 * <p>A session is in the server's registry from open until its connection is gone and, for a blocking
 * handler, the handler has returned, so that a stopping server can reach every session still running.
 */
public final class Session implements WebSocket {

    private static final AtomicLong IDS = new AtomicLong();

    /** Limits a session enforces, taken from the server's configuration. */
    public record Limits(int receiveQueueSize, int receiveBufferSize, Duration sendTimeout) {
    }

    private final long id = IDS.incrementAndGet();
    private final Transport transport;
    private final Protocol protocol;
    private final UpgradeRequest request;
    private final Set<Session> registry;
    private final Delivery delivery;
    private final SendGate sendGate;
    private final Seat seat;
    private final AtomicInteger holds;
    private final Attributes attributes;

    private Session(Transport transport, Protocol protocol, UpgradeRequest request, Limits limits, Seats seats,
                    Set<Session> registry, WebSocketHandler handler, WebSocketListener listener, boolean onEventLoop) {
        this.transport = transport;
        this.protocol = protocol;
        this.request = request;
        this.registry = registry;
        this.seat = seats.seatFor(Long.toString(id));
        this.sendGate = new SendGate(transport, limits.sendTimeout());
        if (handler != null) {
            delivery = new BlockingDelivery(this, handler, newInbox(limits));
        } else if (onEventLoop) {
            delivery = new EventLoopDelivery(new ListenerCalls(this, listener));
        } else {
            delivery = new ListenerDelivery(this, new ListenerCalls(this, listener), newInbox(limits));
        }
        holds = new AtomicInteger(handler != null ? 2 : 1);
        protocol.deliverTo(delivery);
        attributes = new Attributes(request.attributes());
    }

    /** Gives a new session its seat in the app's rooms, for a connection whose default user is {@code id}. */
    @FunctionalInterface
    public interface Seats {
        /** The seat of the connection being opened. */
        Seat seatFor(String id);
    }

    /** A session served by a blocking handler on a virtual thread of its own. */
    public static Session blocking(Transport transport, Protocol protocol, UpgradeRequest request, Limits limits,
                                   Seats seats, Set<Session> registry, WebSocketHandler handler) {
        return new Session(transport, protocol, request, limits, seats, registry, handler, null, false);
    }

    /** A session whose listener runs on virtual threads, or on the event loop when {@code onEventLoop}. */
    public static Session listening(Transport transport, Protocol protocol, UpgradeRequest request, Limits limits,
                                    Seats seats, Set<Session> registry, WebSocketListener listener,
                                    boolean onEventLoop) {
        return new Session(transport, protocol, request, limits, seats, registry, null, listener, onEventLoop);
    }

    /** An inbox that pauses the connection's reading while it is full. */
    private Inbox newInbox(Limits limits) {
        InboxReading reading = new InboxReading();
        Inbox inbox = new Inbox(limits.receiveQueueSize(), limits.receiveBufferSize(), reading);
        reading.inbox = inbox;
        return inbox;
    }

    /** Turns the inbox's water marks into the protocol's reading decision. */
    private final class InboxReading implements Inbox.ReadControl {
        private volatile Inbox inbox;

        @Override
        public void pauseReading() {
            protocol.pause(Pause.INBOX_FULL, true); // on the event loop, which offers messages
        }

        @Override
        public void resumeReading() {
            // The inbox's flag may flip again between this request and its run: the run reads it.
            onEventLoop(() -> protocol.pause(Pause.INBOX_FULL, inbox.isPaused()));
        }
    }

    // ---------------------------------------------------------------- lifecycle, driven by the connection

    /** Event loop: the handshake completed; the session joins the registry and user code starts. */
    public void opened() {
        registry.add(this);
        protocol.opened();
    }

    /** Event loop: the TCP connection is gone. */
    public void connectionLost() {
        seat.leaveAll();
        protocol.connectionLost();
        sendGate.signal();
        release();
    }

    /** Event loop: a read burst begins or ends; its messages are handed to user code together. */
    public void readBurst(boolean inProgress) {
        delivery.readBurst(inProgress);
    }

    /** Event loop: the peer started or stopped taking what it is sent. */
    public void writabilityChanged() {
        sendGate.signal();
    }

    /** Closes with 1001 because the server is stopping; see {@link Protocol#goingAway}. Any thread. */
    public void goingAway(Duration patience) {
        onEventLoop(() -> protocol.goingAway(patience));
    }

    /** Interrupts user code still running, when the server's patience ran out. */
    public void interruptHandler() {
        delivery.interrupt();
    }

    Protocol protocol() {
        return protocol;
    }

    /** Runs {@code task} on the connection's event loop: at once when already there, else queued in order. */
    void onEventLoop(Runnable task) {
        if (transport.inEventLoop()) {
            task.run();
        } else {
            transport.execute(task);
        }
    }

    /** Starts the close handshake with {@code status} unless closing began already. Any thread. */
    void closeWith(CloseStatus status) {
        if (protocol.beginClose(status)) {
            onEventLoop(protocol::sendBegunClose);
        }
    }

    /** One holder of the session (the connection, or a blocking handler) is done with it. */
    void release() {
        if (holds.decrementAndGet() == 0) {
            registry.remove(this);
        }
    }

    // ---------------------------------------------------------------- WebSocket

    @Override
    public String id() {
        return Long.toString(id);
    }

    @Override
    public State state() {
        return protocol.state();
    }

    @Override
    public Message receive() {
        return blockingDelivery().receive(-1);
    }

    @Override
    public Optional<Message> receive(Duration timeout) {
        return Optional.ofNullable(blockingDelivery().receive(timeout.toNanos()));
    }

    private BlockingDelivery blockingDelivery() {
        if (delivery instanceof BlockingDelivery blocking) {
            return blocking;
        }
        throw new IllegalStateException("receive() is for blocking handlers; a listener gets onMessage");
    }

    @Override
    public Iterator<Message> iterator() {
        return new MessageIterator(this);
    }

    @Override
    public void send(String text) {
        awaitRoom();
        if (!transport.writeText(text)) {
            dropSlowPeer();
        }
    }

    @Override
    public void send(byte[] bytes) {
        send(Message.binary(bytes));
    }

    @Override
    public void send(Message message) {
        awaitRoom();
        if (!transport.write(message)) {
            dropSlowPeer();
        }
    }

    /** Throws if the session cannot send; on a user thread, waits while the peer is behind. */
    private void awaitRoom() {
        if (state() == State.OPEN && !transport.isWritable() && !sendGate.awaitRoom(this::isOpen)) {
            closeWith(Closes.SLOW_PEER);
        }
        if (state() != State.OPEN) {
            throw new ConnectionClosed(protocol.closeStatus());
        }
    }

    /** The transport refused a message from the event loop: the peer is too far behind to wait for. */
    private void dropSlowPeer() {
        closeWith(Closes.SLOW_PEER);
        throw new ConnectionClosed(protocol.closeStatus());
    }

    @Override
    public long bufferedAmount() {
        return transport.bufferedAmount();
    }

    @Override
    public void close(CloseStatus status) {
        if (!CloseCode.isSendable(status.code())) {
            throw new IllegalArgumentException("close code " + status.code() + " may not be sent in a close frame");
        }
        closeWith(status);
    }

    @Override
    public Optional<CloseStatus> closeStatus() {
        return state() == State.CLOSED ? Optional.of(protocol.closeStatus()) : Optional.empty();
    }

    @Override
    public Optional<String> subprotocol() {
        return Optional.ofNullable(request.subprotocol());
    }

    @Override
    public String path() {
        return request.path();
    }

    @Override
    public String pathParam(String name) {
        return request.pathParams().get(name);
    }

    @Override
    public String queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public Map<String, List<String>> queryParams() {
        return QueryString.parse(request.rawQuery());
    }

    @Override
    public String header(String name) {
        return request.header(name);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    public void user(String user) {
        seat.user(user);
    }

    @Override
    public String user() {
        return seat.user();
    }

    @Override
    public void join(String room) {
        seat.join(room);
    }

    @Override
    public void leave(String room) {
        seat.leave(room);
    }

    @Override
    public Set<String> rooms() {
        return seat.rooms();
    }

    @Override
    public void publish(String room, Message message) {
        seat.publish(room, message);
    }

    @Override
    public <T> T attribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void attribute(String name, Object value) {
        attributes.set(name, value);
    }

    @Override
    public String toString() {
        return "WebSocket[" + id + " " + request.path() + " " + state() + "]";
    }
}
