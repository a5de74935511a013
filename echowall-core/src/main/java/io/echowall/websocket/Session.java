package io.echowall.websocket;

import io.echowall.CloseCode;
import io.echowall.CloseException;
import io.echowall.CloseStatus;
import io.echowall.ConnectionClosed;
import io.echowall.Message;
import io.echowall.WebSocket;
import io.echowall.WebSocketHandler;
import io.echowall.WebSocketListener;
import io.echowall.http.QueryString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A WebSocket session: the close handshake's state machine, the inbox, and the bridge between the
 * connection's event loop and user code, for both handler styles.
 *
 * <p>Threading: methods documented "event loop" are called by the transport's I/O callbacks on the
 * connection's event loop and change the connection's state only there; public {@link WebSocket}
 * methods are safe from any thread and hand I/O to the event loop. User code runs on a virtual thread
 * (blocking handlers, and listeners by default) or on the event loop (listeners that opted in).
 */
public final class Session implements WebSocket {

    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final ThreadFactory VIRTUAL_THREADS = Thread.ofVirtual().name("echowall-ws-", 1).factory();
    private static final VarHandle STATE;
    private static final CloseStatus GONE = new CloseStatus(CloseCode.ABNORMAL_CLOSURE, "");
    private static final CloseStatus NO_STATUS = new CloseStatus(CloseCode.NO_STATUS_RECEIVED, "");
    private static final CloseStatus SHUTTING_DOWN = new CloseStatus(CloseCode.GOING_AWAY, "server shutting down");
    private static final CloseStatus SLOW_PEER = new CloseStatus(CloseCode.POLICY_VIOLATION, "peer too slow to read");

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Session.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Limits a session enforces, taken from the server's configuration. */
    public record Limits(int receiveQueueSize, int maxMessageSize, int sendBufferSize, Duration sendTimeout,
                         Duration closeTimeout) {
    }

    private final long id = IDS.incrementAndGet();
    private final Transport transport;
    private final UpgradeRequest request;
    private final Limits limits;
    private final WebSocketHandler handler;
    private final WebSocketListener listener;
    private final Inbox inbox;
    private final Set<Session> registry;

    private volatile State state = State.CONNECTING;
    private volatile CloseStatus sentStatus;
    private volatile CloseStatus receivedStatus;
    private volatile boolean disconnected;
    private volatile Thread handlerThread;
    private volatile ReentrantLock writableLock;
    private volatile Condition writable;
    private volatile Map<String, Object> attributes;

    // Event loop only.
    private boolean closeSent;
    private CloseStatus pendingReply;
    private Runnable cancelCloseTimer;

    // Listener delivery: one delivering thread at a time, guarded by `delivering`.
    private final AtomicBoolean delivering = new AtomicBoolean();
    private boolean openDelivered;
    private boolean closeDelivered;
    private boolean listenerFailed;

    private Session(Transport transport, UpgradeRequest request, Limits limits, Set<Session> registry,
                    WebSocketHandler handler, WebSocketListener listener, boolean listenerOnEventLoop) {
        this.transport = transport;
        this.registry = registry;
        this.request = request;
        this.limits = limits;
        this.handler = handler;
        this.listener = listener;
        this.inbox = listenerOnEventLoop ? null
                : new Inbox(limits.receiveQueueSize(), limits.maxMessageSize(), new Inbox.ReadControl() {
                    @Override
                    public void pauseReading() {
                        syncReading();
                    }

                    @Override
                    public void resumeReading() {
                        transport.execute(Session.this::syncReading);
                    }
                });
        if (!request.attributes().isEmpty()) {
            attributes = new ConcurrentHashMap<>(request.attributes());
        }
    }

    /**
     * A session served by a blocking handler on a virtual thread of its own. It is in {@code registry}
     * from open until both its connection and its handler are done.
     */
    public static Session blocking(Transport transport, UpgradeRequest request, Limits limits,
                                   Set<Session> registry, WebSocketHandler handler) {
        return new Session(transport, request, limits, registry, handler, null, false);
    }

    /**
     * A session whose listener runs on virtual threads, or on the event loop when {@code onEventLoop}.
     * It is in {@code registry} from open until its connection is gone.
     */
    public static Session listening(Transport transport, UpgradeRequest request, Limits limits,
                                    Set<Session> registry, WebSocketListener listener, boolean onEventLoop) {
        return new Session(transport, request, limits, registry, null, listener, onEventLoop);
    }

    // ---------------------------------------------------------------- event loop: driven by the transport

    /** Event loop: the handshake completed; starts the handler. */
    public void opened() {
        registry.add(this);
        state = State.OPEN;
        if (handler != null) {
            Thread thread = VIRTUAL_THREADS.newThread(this::runHandler);
            handlerThread = thread;
            thread.start();
        } else {
            deliver();
        }
    }

    /** Event loop: a complete message arrived. */
    public void messageReceived(Message message) {
        if (inbox != null) {
            inbox.offer(message);
            if (listener != null) {
                deliver();
            }
        } else if (!listenerFailed && (state == State.OPEN || state == State.CLOSING)) {
            callListener(() -> listener.onMessage(this, message));
        }
    }

    /**
     * Event loop: the peer's close frame arrived, already validated; {@code status} is null when it
     * carried no code. It is answered with the same code (RFC 6455 section 5.5.1) once the handler has
     * taken the messages that came before it, so their replies go out first; then the server, being
     * the server, closes the TCP connection (section 7.1.1).
     */
    public void closeReceived(CloseStatus status) {
        receivedStatus = status == null ? NO_STATUS : status;
        closeAfterQueuedMessages(receivedStatus, limits.closeTimeout());
    }

    /**
     * Event loop: the peer broke the protocol or a limit; fails the connection with {@code status}
     * (RFC 6455 section 7.1.7): nothing more is read, and once the handler has taken the messages that
     * came before the fault, the close goes out and the connection closes.
     */
    public void fail(CloseStatus status) {
        if (!closeSent && sentStatus == null) {
            sentStatus = status; // before the inbox closes: the woken handler must see why
        }
        closeAfterQueuedMessages(status, limits.closeTimeout());
    }

    /**
     * Event loop: sends {@code reply} (unless a close was sent already) and closes the connection, after
     * the handler has taken every queued message, or after {@code patience} if it never does. Until
     * then the session stays open for the handler: it may still answer what it is taking (RFC 6455
     * section 5.5.1 lets the reply to a close wait for the message being sent).
     */
    private void closeAfterQueuedMessages(CloseStatus reply, Duration patience) {
        if (closeSent) {
            transport.closeConnection(); // the peer answered our close, or there is nothing left to say
            return;
        }
        if (inbox == null || handlerFinished()) {
            sendCloseAndDisconnect(reply);
            return;
        }
        inbox.close();
        if (pendingReply == null) {
            pendingReply = reply;
            cancelCloseTimer = transport.schedule(this::sendPendingReply, patience);
        }
        if (listener != null) {
            deliver();
        }
    }

    /** Event loop: the handler drained its messages (or ran out of time); the pending close goes out. */
    private void sendPendingReply() {
        CloseStatus reply = pendingReply;
        if (reply != null) {
            pendingReply = null;
            sendCloseAndDisconnect(reply);
        }
    }

    private void sendCloseAndDisconnect(CloseStatus reply) {
        STATE.compareAndSet(this, State.OPEN, State.CLOSING);
        if (!closeSent && !disconnected) {
            closeSent = true;
            transport.writeClose(reply);
        }
        transport.closeConnection();
    }

    private boolean handlerFinished() {
        return handler != null && handlerThread == null;
    }

    /** Event loop: the TCP connection is gone. */
    public void disconnected() {
        if (cancelCloseTimer != null) {
            cancelCloseTimer.run();
        }
        pendingReply = null;
        disconnected = true;
        state = State.CLOSED;
        if (handlerThread == null) {
            registry.remove(this);
        }
        if (inbox != null) {
            inbox.close();
        }
        signalWritable();
        if (listener != null) {
            deliver();
        }
    }

    /** Event loop: the outbound buffer crossed a water mark. */
    public void writabilityChanged() {
        signalWritable();
    }

    /**
     * Closes with 1001 because the server is stopping, from any thread. Messages already received are
     * still handled first, and their replies go out before the 1001, as for a close from the peer;
     * nothing received after this is. A handler gets at most {@code patience} for them; a handler
     * waiting for a message with none left closes at once.
     */
    public void goingAway(Duration patience) {
        runOnEventLoop(() -> {
            if (state != State.OPEN || closeSent || disconnected) {
                return;
            }
            if (sentStatus == null) {
                sentStatus = SHUTTING_DOWN; // before the inbox closes: the woken handler must see why
            }
            closeAfterQueuedMessages(SHUTTING_DOWN, patience);
        });
    }

    /** Interrupts a blocking handler that is still running, when the server's patience ran out. */
    public void interruptHandler() {
        Thread thread = handlerThread;
        if (thread != null) {
            thread.interrupt();
        }
    }

    // ---------------------------------------------------------------- WebSocket

    @Override
    public String id() {
        return Long.toString(id);
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public Message receive() {
        return receiveWithin(-1).orElseThrow();
    }

    @Override
    public Optional<Message> receive(Duration timeout) {
        return receiveWithin(timeout.toNanos());
    }

    private Optional<Message> receiveWithin(long timeoutNanos) {
        if (handler == null) {
            throw new IllegalStateException("receive() is for blocking handlers; a listener gets onMessage");
        }
        Message message;
        try {
            message = inbox.take(timeoutNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosed(closingStatus());
        }
        if (message == null && inbox.isClosed()) {
            transport.execute(this::sendPendingReply); // after this thread's writes, in order
            throw new ConnectionClosed(closingStatus());
        }
        return Optional.ofNullable(message);
    }

    @Override
    public Iterator<Message> iterator() {
        return new Iterator<>() {
            private Message next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = receive();
                    } catch (ConnectionClosed e) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public Message next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the connection closed");
                }
                Message message = next;
                next = null;
                return message;
            }
        };
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

    /** The transport refused a message from the event loop: the peer is too far behind to wait for. */
    private void dropSlowPeer() {
        startClose(SLOW_PEER);
        throw new ConnectionClosed(closingStatus());
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
        startClose(status);
    }

    @Override
    public Optional<CloseStatus> closeStatus() {
        return state == State.CLOSED ? Optional.of(closingStatus()) : Optional.empty();
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
    @SuppressWarnings("unchecked")
    public <T> T attribute(String name) {
        Map<String, Object> map = attributes;
        return map == null ? null : (T) map.get(name);
    }

    @Override
    public synchronized void attribute(String name, Object value) {
        if (attributes == null) {
            attributes = new ConcurrentHashMap<>();
        }
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public String toString() {
        return "WebSocket[" + id + " " + request.path() + " " + state + "]";
    }

    // ---------------------------------------------------------------- internals

    /** The status reported by {@link #closeStatus()} and carried by {@link ConnectionClosed}. */
    private CloseStatus closingStatus() {
        CloseStatus received = receivedStatus;
        if (received != null) {
            return received;
        }
        CloseStatus sent = sentStatus;
        return sent != null ? sent : GONE;
    }

    /** Starts the close handshake from any thread; the state changes at once so later sends fail. */
    private void startClose(CloseStatus status) {
        if (!STATE.compareAndSet(this, State.OPEN, State.CLOSING)) {
            return;
        }
        sentStatus = status;
        runOnEventLoop(() -> {
            if (closeSent || disconnected) {
                return;
            }
            closeSent = true;
            transport.writeClose(status);
            if (receivedStatus != null) {
                transport.closeConnection();
            } else {
                cancelCloseTimer = transport.schedule(transport::closeConnection, limits.closeTimeout());
            }
        });
    }

    private void runOnEventLoop(Runnable task) {
        if (transport.inEventLoop()) {
            task.run();
        } else {
            transport.execute(task);
        }
    }

    /** Event loop: reads while the inbox has room (the inbox's flag may flip between request and run). */
    private void syncReading() {
        if (!disconnected) {
            transport.setReading(!inbox.isPaused());
        }
    }

    /** Throws if the session cannot send; on a user thread, waits while the peer is behind. */
    private void awaitRoom() {
        if (state != State.OPEN) {
            throw new ConnectionClosed(closingStatus());
        }
        if (transport.isWritable() || transport.inEventLoop()) {
            return; // the event loop never waits: the transport refuses what goes too far past the limit
        }
        ReentrantLock lock = writableLock();
        long left = limits.sendTimeout().toNanos();
        lock.lock();
        try {
            while (!transport.isWritable() && state == State.OPEN) {
                if (left <= 0) {
                    startClose(SLOW_PEER);
                    break;
                }
                left = writable.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosed(new CloseStatus(CloseCode.GOING_AWAY, "interrupted"));
        } finally {
            lock.unlock();
        }
        if (state != State.OPEN) {
            throw new ConnectionClosed(closingStatus());
        }
    }

    private ReentrantLock writableLock() {
        ReentrantLock lock = writableLock;
        if (lock == null) {
            synchronized (this) {
                lock = writableLock;
                if (lock == null) {
                    lock = new ReentrantLock();
                    writable = lock.newCondition();
                    writableLock = lock;
                }
            }
        }
        return lock;
    }

    private void signalWritable() {
        ReentrantLock lock = writableLock;
        if (lock != null) {
            lock.lock();
            try {
                writable.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void runHandler() {
        try {
            handler.handle(this);
            startClose(CloseStatus.NORMAL);
        } catch (CloseException e) {
            startClose(e.status());
        } catch (ConnectionClosed e) {
            // The peer left while the handler was using the session: an ordinary end.
        } catch (InterruptedException e) {
            startClose(SHUTTING_DOWN);
        } catch (Throwable t) {
            log.error("WebSocket handler for {} failed; closing the connection with 1011", request.path(), t);
            startClose(new CloseStatus(CloseCode.INTERNAL_ERROR, "internal error"));
        } finally {
            handlerThread = null;
            inbox.close();
            transport.execute(this::sendPendingReply);
            if (disconnected) {
                registry.remove(this); // the connection went first; see disconnected()
            }
        }
    }

    /** Delivers pending listener events, on the event loop or on a virtual thread, one thread at a time. */
    private void deliver() {
        if (inbox == null) {
            deliverPending();
            return;
        }
        if (delivering.compareAndSet(false, true)) {
            VIRTUAL_THREADS.newThread(this::deliverLoop).start();
        }
    }

    private void deliverLoop() {
        do {
            deliverPending();
            delivering.set(false);
        } while (hasPendingEvents() && delivering.compareAndSet(false, true));
    }

    private boolean hasPendingEvents() {
        return !openDelivered || (inbox != null && !inbox.isEmpty()) || (state == State.CLOSED && !closeDelivered);
    }

    private void deliverPending() {
        if (!openDelivered) {
            openDelivered = true;
            callListener(() -> listener.onOpen(this));
        }
        if (inbox != null) {
            Message message;
            while ((message = inbox.poll()) != null) {
                if (!listenerFailed) {
                    Message m = message;
                    callListener(() -> listener.onMessage(this, m));
                }
            }
            if (inbox.isClosed()) {
                transport.execute(this::sendPendingReply); // after the replies to what came before
            }
        }
        if (state == State.CLOSED && !closeDelivered && (inbox == null || inbox.isEmpty())) {
            closeDelivered = true;
            CloseStatus status = closingStatus();
            callListener(() -> listener.onClose(this, status));
        }
    }

    private interface Callback {
        void run() throws Exception;
    }

    private void callListener(Callback callback) {
        try {
            callback.run();
        } catch (CloseException e) {
            listenerFailed = true;
            startClose(e.status());
        } catch (ConnectionClosed e) {
            // A send after the peer left; onClose follows.
        } catch (Throwable t) {
            listenerFailed = true;
            log.error("WebSocket listener for {} failed; closing the connection with 1011", request.path(), t);
            try {
                listener.onError(this, t);
            } catch (Throwable again) {
                log.error("onError of the WebSocket listener for {} failed too", request.path(), again);
            }
            startClose(new CloseStatus(CloseCode.INTERNAL_ERROR, "internal error"));
        }
    }
}
