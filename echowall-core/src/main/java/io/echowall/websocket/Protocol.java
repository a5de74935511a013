package io.echowall.websocket;

import io.echowall.CloseStatus;
import io.echowall.Message;
import io.echowall.WebSocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The rules of one WebSocket connection (RFC 6455), without I/O: events go in (a frame decoded, a
 * timer fired, the peer's writability, the app closing) and actions come out through a {@link Wire}
 * (write a control frame, close the TCP connection, pause reading, arm a timer) and a {@link Delivery}
 * (hand a message to user code). Tests drive it with a recording wire and fire timers by hand.
 *
 * <p>It owns the close handshake, keepalive, fail-fast, pong and reading decisions. Each fact has
 * one field and each deadline one timer. Every method runs on the connection's event loop, except
 * {@link #beginClose} and the getters, which are safe from any thread.
 */
public final class Protocol {

    /** Timings a connection keeps. */
    public record Timing(Duration pingInterval, Duration pingTimeout, Duration closeTimeout) {
    }

    /** Why reading is paused, besides a peer that does not take what it is sent. */
    public enum Pause {
        /** Messages wait for the handler. */
        INBOX_FULL,
        /** Compressed input waits to be inflated in a later turn. */
        INFLATING,
        /** The peer sent faster than its endpoint's rate limit allows. */
        RATE_LIMITED
    }

    /**
     * What is still taken from the peer: everything; control frames only (the server is stopping and
     * handles no new message); nothing (the peer closed, or broke the protocol: section 7.1.7).
     */
    private enum Input { OPEN, CONTROL_ONLY, ENDED }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Protocol.class, "state", WebSocket.State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Wire wire;
    private final Timing timing;
    private Delivery delivery;
    private RateLimit rateLimit;
    /** Messages read while over the rate limit: handed over as the limit allows. */
    private ArrayDeque<Message> throttled;

    private volatile WebSocket.State state = WebSocket.State.CONNECTING;
    private volatile CloseStatus received;
    private volatile CloseStatus sent;

    // Event loop only.
    private Input input = Input.OPEN;
    private boolean closeWritten;
    private boolean outputClosed;
    private boolean closeDeadlineArmed;
    private CloseStatus pendingClose;
    private boolean closeTcpAfterPending;
    private final Keepalive keepalive = new Keepalive();
    private boolean writable = true;
    private int pausedBy;
    private Boolean reading;
    private byte[] unansweredPing;

    /** A protocol acting through {@code wire}. */
    public Protocol(Wire wire, Timing timing) {
        this.wire = wire;
        this.timing = timing;
    }

    /** Binds the delivery messages go to; called once, before {@link #opened()}. */
    void deliverTo(Delivery delivery) {
        this.delivery = delivery;
    }

    // ---------------------------------------------------------------- state, from any thread

    /** The connection's state. */
    public WebSocket.State state() {
        return state;
    }

    /**
     * How the connection closed or is closing: the peer's close when it sent one, else the close this
     * side sent or began, else 1006.
     */
    public CloseStatus closeStatus() {
        CloseStatus peer = received;
        if (peer != null) {
            return peer;
        }
        CloseStatus own = sent;
        return own != null ? own : Closes.ABNORMAL;
    }

    /**
     * The close this side chose: the one it began, sent, or reported when dropping the peer; the echo of
     * the peer's close when the peer closed first; null while none. Unlike {@link #closeStatus()}, never
     * the peer's own status.
     */
    public CloseStatus ownCloseStatus() {
        return sent;
    }

    /**
     * Any thread: begins closing with {@code status} unless closing began already, so that later sends
     * fail at once; the close frame itself goes out with {@link #sendBegunClose()} on the event loop.
     */
    public boolean beginClose(CloseStatus status) {
        if (!STATE.compareAndSet(this, WebSocket.State.OPEN, WebSocket.State.CLOSING)) {
            return false;
        }
        sent = status;
        return true;
    }

    // ---------------------------------------------------------------- events

    /** Limits the rate of the peer's messages (null: no limit); called once, before the first message. */
    public void limitRate(RateLimit limit) {
        this.rateLimit = limit;
        this.throttled = limit == null ? null : new ArrayDeque<>();
    }

    /** The opening handshake completed. */
    public void opened() {
        state = WebSocket.State.OPEN;
        wire.schedule(Wire.Timer.KEEPALIVE, timing.pingInterval());
        updateReading();
        delivery.open();
    }

    /** A complete data message arrived (text already checked as UTF-8). */
    public void messageReceived(Message message) {
        if (heard() != Input.OPEN) {
            return;
        }
        if (rateLimited()) {
            // Reading is paused, but the rest of what the last read brought still comes: it waits here.
            throttled.add(message);
        } else {
            deliverWithinRate(message);
        }
    }

    /** A ping arrived: answered with its payload (section 5.5.3), but see {@link #writabilityChanged}. */
    public void pingReceived(byte[] payload) {
        if (heard() == Input.ENDED || closeWritten) {
            return;
        }
        if (writable) {
            wire.writePong(payload);
        } else {
            // The peer does not read: remember only the latest ping, which section 5.5.3 allows,
            // so a ping flood cannot queue pongs without end.
            unansweredPing = payload;
        }
    }

    /** A pong arrived. */
    public void pongReceived() {
        heard();
    }

    /** A close frame arrived with {@code payload} (section 5.5.1): checked, then answered. */
    public void closeReceived(ByteBuffer payload) {
        if (heard() == Input.ENDED) {
            return;
        }
        PeerClose close = PeerClose.read(payload);
        if (close.violation() != null) {
            violation(close.violation());
            return;
        }
        CloseStatus status = close.status();
        received = status; // before the delivery ends: a woken handler must see why
        boolean idle = endData(Input.ENDED);
        // Echo the code (section 5.5.1); the server then closes TCP first (section 7.1.1).
        closeAfterDrain(status, timing.closeTimeout(), true, idle);
    }

    /**
     * The input broke the protocol or a limit: the connection fails with {@code status} (section
     * 7.1.7). Nothing after it is processed; messages before it are still handled first.
     */
    public void violation(CloseStatus status) {
        if (input == Input.ENDED) {
            return;
        }
        if (sent == null) {
            sent = status; // before the delivery ends: a woken handler must see why
        }
        boolean idle = endData(Input.ENDED);
        closeAfterDrain(status, timing.closeTimeout(), true, idle);
    }

    /**
     * The server is stopping: messages already received are still handled, for at most
     * {@code patience}, then 1001 goes out. No new message is taken; the peer's close still is.
     */
    public void goingAway(Duration patience) {
        if (state != WebSocket.State.OPEN || closeWritten || input != Input.OPEN) {
            return;
        }
        if (sent == null) {
            sent = Closes.SHUTTING_DOWN;
        }
        boolean idle = endData(Input.CONTROL_ONLY);
        closeAfterDrain(Closes.SHUTTING_DOWN, patience, false, idle);
    }

    /** Event loop: sends the close begun with {@link #beginClose}. */
    public void sendBegunClose() {
        CloseStatus status = sent;
        if (status != null) {
            writeClose(status, received != null);
        }
    }

    /** The delivery's consumer took every message after the input ended; a pending close goes out. */
    public void inputDrained() {
        if (pendingClose != null) {
            writeClose(pendingClose, closeTcpAfterPending);
        }
    }

    /** The peer started or stopped taking what it is sent. */
    public void writabilityChanged(boolean writable) {
        this.writable = writable;
        if (writable) {
            if (unansweredPing != null && !closeWritten) {
                wire.writePong(unansweredPing);
            }
            unansweredPing = null;
        }
        updateReading();
    }

    /** Reading paused or resumed for {@code reason}. */
    public void pause(Pause reason, boolean paused) {
        int bit = 1 << reason.ordinal();
        pausedBy = paused ? pausedBy | bit : pausedBy & ~bit;
        updateReading();
    }

    /** A timer armed through the wire fired. */
    public void timerFired(Wire.Timer timer) {
        switch (timer) {
            case KEEPALIVE -> checkAlive();
            case DRAIN -> inputDrained(); // or its time ran out: the pending close goes out either way
            case CLOSE -> wire.abort();
            case RATE_LIMIT -> {
                pausedBy &= ~(1 << Pause.RATE_LIMITED.ordinal());
                while (!throttled.isEmpty() && !rateLimited()) {
                    deliverWithinRate(throttled.poll());
                }
                updateReading();
            }
        }
    }

    /**
     * The server drops the peer at once to keep its memory bounded: no close frame, which a peer that
     * stopped reading would never read; {@code status} is what this side reports.
     */
    public void drop(CloseStatus status) {
        if (state != WebSocket.State.CLOSED) {
            if (sent == null) {
                sent = status;
            }
            wire.abort();
        }
    }

    /** The TCP connection is gone. */
    public void connectionLost() {
        if (state == WebSocket.State.CLOSED) {
            return;
        }
        state = WebSocket.State.CLOSED;
        if (input == Input.OPEN) {
            releaseThrottled();
        }
        input = Input.ENDED;
        pendingClose = null;
        unansweredPing = null;
        for (Wire.Timer timer : Wire.Timer.values()) {
            wire.cancel(timer);
        }
        delivery.closed(closeStatus());
    }

    /** Whether the close frame was written: data written after it is dropped (section 5.5.1). */
    public boolean closeWritten() {
        return closeWritten;
    }

    // ---------------------------------------------------------------- internals

    private boolean rateLimited() {
        return (pausedBy & 1 << Pause.RATE_LIMITED.ordinal()) != 0;
    }

    /** Hands {@code message} over, and pauses reading if it put the peer over its rate limit. */
    private void deliverWithinRate(Message message) {
        delivery.message(message);
        long pause = rateLimit == null ? 0 : rateLimit.pauseAfter(message.size());
        if (pause > 0) {
            pause(Pause.RATE_LIMITED, true);
            wire.schedule(Wire.Timer.RATE_LIMIT, Duration.ofNanos(pause));
        }
    }

    /** The input ends: messages held back by the rate limit are handed over now, so none is lost. */
    private void releaseThrottled() {
        while (throttled != null && !throttled.isEmpty()) {
            delivery.message(throttled.poll());
        }
    }

    /** Notes that the peer was heard; returns what is still taken from it. */
    private Input heard() {
        keepalive.heard();
        return input;
    }

    /**
     * Stops taking data messages, telling the delivery the first time.
     *
     * @return whether the delivery holds nothing more to hand over
     */
    private boolean endData(Input next) {
        boolean first = input == Input.OPEN;
        if (first) {
            releaseThrottled();
        }
        input = next;
        return !first || delivery.endInput();
    }

    /**
     * Sends {@code reply} at once when the delivery is {@code idle}, else once it has handed over what
     * it holds, or after {@code patience}; with {@code closeTcp}, the TCP connection closes right after.
     */
    private void closeAfterDrain(CloseStatus reply, Duration patience, boolean closeTcp, boolean idle) {
        if (closeWritten) {
            if (closeTcp) {
                closeOutput(); // the peer answered our close, or broke the protocol after it
            }
            return;
        }
        closeTcpAfterPending |= closeTcp;
        if (pendingClose != null) {
            return; // already waiting; the first reason stands
        }
        if (idle) {
            writeClose(reply, closeTcpAfterPending);
            return;
        }
        pendingClose = reply;
        wire.schedule(Wire.Timer.DRAIN, patience);
        updateReading();
    }

    private void writeClose(CloseStatus status, boolean closeTcp) {
        if (pendingClose != null) {
            pendingClose = null;
            wire.cancel(Wire.Timer.DRAIN);
        }
        if (closeWritten || state == WebSocket.State.CLOSED) {
            return;
        }
        closeWritten = true;
        STATE.compareAndSet(this, WebSocket.State.OPEN, WebSocket.State.CLOSING);
        if (sent == null) {
            sent = status;
        }
        wire.writeClose(status);
        armCloseDeadline();
        if (closeTcp) {
            closeOutput();
        }
    }

    /** The server closes TCP first once the handshake is done or failed (section 7.1.1). */
    private void closeOutput() {
        if (!outputClosed) {
            outputClosed = true;
            armCloseDeadline();
            wire.shutdownOutput();
            updateReading();
        }
    }

    /**
     * From the first close frame written, or the first step to close TCP, the connection has the
     * close timeout to end: a peer that stopped reading can hold a close frame back for ever.
     */
    private void armCloseDeadline() {
        if (!closeDeadlineArmed) {
            closeDeadlineArmed = true;
            wire.schedule(Wire.Timer.CLOSE, timing.closeTimeout());
        }
    }

    private void checkAlive() {
        switch (keepalive.check()) {
            case WAIT -> wire.schedule(Wire.Timer.KEEPALIVE, timing.pingInterval());
            case PING -> {
                if (!closeWritten) {
                    wire.writePing();
                }
                wire.schedule(Wire.Timer.KEEPALIVE, timing.pingTimeout());
            }
            case GIVE_UP -> wire.abort();
        }
    }

    /**
     * Reads while user code has room, the peer takes what it is sent and no compressed input waits;
     * once nothing more is taken, or TCP is closing, reads only to drop (so the peer's last bytes do
     * not turn the close into a reset). A peer that does not read is thus not read either.
     */
    private void updateReading() {
        boolean on = input == Input.ENDED || outputClosed || input == Input.CONTROL_ONLY
                || (pausedBy == 0 && writable);
        if (reading == null || on != reading) {
            reading = on;
            wire.reading(on);
        }
    }
}
