package io.echowall.websocket;

import io.echowall.CloseStatus;
import io.echowall.Message;
import io.echowall.WebSocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The rules of one WebSocket connection (RFC 6455), without I/O: events go in (a frame decoded, a
 * timer fired, the peer's writability, the app closing) and actions come out through a {@link Wire}
 * (write a control frame, close the TCP connection, pause reading, arm a timer) and a {@link Delivery}
 * (hand a message to user code). Tests drive it with a recording wire and fire timers by hand.
 *
 * <p>It owns the close handshake (this side's part in {@link CloseHandshake}), keepalive, fail-fast,
 * pong and reading decisions, and the rate limit (in {@link Throttle}). Each fact has one field and
 * each deadline one timer. Every method runs on the connection's event loop, except
 * {@link #beginClose} and the getters, which are safe from any thread.
 */
public final class Protocol {

    /** Timings a connection keeps. */
    public record Timing(Duration pingInterval, Duration pingTimeout, Duration closeTimeout) {
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
    private final CloseHandshake closing;
    private Delivery delivery;
    private Throttle throttle;

    private volatile WebSocket.State state = WebSocket.State.CONNECTING;
    private volatile CloseStatus received;
    private volatile CloseStatus sent;

    // Event loop only.
    private Input input = Input.OPEN;
    private final Keepalive keepalive = new Keepalive();
    private final ReadSwitch reads = new ReadSwitch();
    private byte[] unansweredPing;

    /** A protocol acting through {@code wire}. */
    public Protocol(Wire wire, Timing timing) {
        this.wire = wire;
        this.timing = timing;
        this.closing = new CloseHandshake(this, wire, timing.closeTimeout());
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
        this.throttle = limit == null ? null : new Throttle(this, wire, limit);
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
        if (throttle == null) {
            delivery.message(message);
        } else {
            throttle.received(message, delivery);
        }
    }

    /** A ping arrived: answered with its payload (section 5.5.3), but see {@link #writabilityChanged}. */
    public void pingReceived(byte[] payload) {
        if (heard() == Input.ENDED || closing.closeWritten()) {
            return;
        }
        if (reads.writable()) {
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
        closing.closeAfterDrain(status, timing.closeTimeout(), true, idle);
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
        closing.closeAfterDrain(status, timing.closeTimeout(), true, idle);
    }

    /**
     * The server is stopping: messages already received are still handled, for at most
     * {@code patience}, then 1001 goes out. No new message is taken; the peer's close still is.
     */
    public void goingAway(Duration patience) {
        if (state != WebSocket.State.OPEN || closing.closeWritten() || input != Input.OPEN) {
            return;
        }
        if (sent == null) {
            sent = Closes.SHUTTING_DOWN;
        }
        boolean idle = endData(Input.CONTROL_ONLY);
        closing.closeAfterDrain(Closes.SHUTTING_DOWN, patience, false, idle);
    }

    /** Event loop: sends the close begun with {@link #beginClose}. */
    public void sendBegunClose() {
        CloseStatus status = sent;
        if (status != null) {
            closing.writeClose(status, received != null);
        }
    }

    /** The delivery's consumer took every message after the input ended; a pending close goes out. */
    public void inputDrained() {
        closing.inputDrained();
    }

    /** The peer started or stopped taking what it is sent. */
    public void writabilityChanged(boolean writable) {
        reads.writable(writable);
        if (writable) {
            if (unansweredPing != null && !closing.closeWritten()) {
                wire.writePong(unansweredPing);
            }
            unansweredPing = null;
        }
        updateReading();
    }

    /** Reading paused or resumed for {@code reason}. */
    public void pause(Pause reason, boolean paused) {
        reads.pause(reason, paused);
        updateReading();
    }

    /** A timer armed through the wire fired. */
    public void timerFired(Wire.Timer timer) {
        switch (timer) {
            case KEEPALIVE -> checkAlive();
            case DRAIN -> inputDrained(); // or its time ran out: the pending close goes out either way
            case CLOSE -> wire.abort();
            case RATE_LIMIT -> {
                reads.pause(Pause.RATE_LIMITED, false);
                throttle.resume(delivery);
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
        closing.connectionLost();
        unansweredPing = null;
        for (Wire.Timer timer : Wire.Timer.values()) {
            wire.cancel(timer);
        }
        delivery.closed(closeStatus());
    }

    /** Whether the close frame was written: data written after it is dropped (section 5.5.1). */
    public boolean closeWritten() {
        return closing.closeWritten();
    }

    // ---------------------------------------------------------------- internals

    /** Whether reading is paused for {@code reason}. */
    boolean isPaused(Pause reason) {
        return reads.isPaused(reason);
    }

    /** The input ends: messages held back by the rate limit are handed over now, so none is lost. */
    private void releaseThrottled() {
        if (throttle != null) {
            throttle.release(delivery);
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

    /** The close frame is about to go out with {@code status}: closing begins, if it had not. */
    void closeWriting(CloseStatus status) {
        STATE.compareAndSet(this, WebSocket.State.OPEN, WebSocket.State.CLOSING);
        if (sent == null) {
            sent = status;
        }
    }

    private void checkAlive() {
        switch (keepalive.check()) {
            case WAIT -> wire.schedule(Wire.Timer.KEEPALIVE, timing.pingInterval());
            case PING -> {
                if (!closing.closeWritten()) {
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
    void updateReading() {
        reads.update(wire, input == Input.ENDED || closing.outputClosed() || input == Input.CONTROL_ONLY);
    }
}
