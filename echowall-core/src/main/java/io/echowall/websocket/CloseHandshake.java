package io.echowall.websocket;

import io.echowall.CloseStatus;
import io.echowall.WebSocket;

import java.time.Duration;

/**
 * The server's side of a {@link Protocol}'s close handshake: when its close frame goes out (at once, or
 * once the delivery has handed over what it holds), when it closes TCP, and the deadline for both.
 * Event loop only.
 */
final class CloseHandshake {

    private final Protocol protocol;
    private final Wire wire;
    private final Duration closeTimeout;
    private boolean closeWritten;
    private boolean outputClosed;
    private boolean deadlineArmed;
    private CloseStatus pendingClose;
    private boolean closeTcpAfterPending;

    CloseHandshake(Protocol protocol, Wire wire, Duration closeTimeout) {
        this.protocol = protocol;
        this.wire = wire;
        this.closeTimeout = closeTimeout;
    }

    /** Whether the close frame was written. */
    boolean closeWritten() {
        return closeWritten;
    }

    /** Whether TCP is closing: this side's output is shut, or about to be. */
    boolean outputClosed() {
        return outputClosed;
    }

    /**
     * Sends {@code reply} at once when the delivery is {@code idle}, else once it has handed over what
     * it holds, or after {@code patience}; with {@code closeTcp}, the TCP connection closes right after.
     */
    void closeAfterDrain(CloseStatus reply, Duration patience, boolean closeTcp, boolean idle) {
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
        protocol.updateReading();
    }

    /** The delivery took every message after the input ended, or its time ran out: a pending close goes out. */
    void inputDrained() {
        if (pendingClose != null) {
            writeClose(pendingClose, closeTcpAfterPending);
        }
    }

    /** The TCP connection is gone: a pending close will never go out. */
    void connectionLost() {
        pendingClose = null;
    }

    /**
     * Writes the close frame with {@code status}, unless one was written or the connection is gone; with
     * {@code closeTcp}, the TCP connection closes right after.
     */
    void writeClose(CloseStatus status, boolean closeTcp) {
        if (pendingClose != null) {
            pendingClose = null;
            wire.cancel(Wire.Timer.DRAIN);
        }
        if (closeWritten || protocol.state() == WebSocket.State.CLOSED) {
            return;
        }
        closeWritten = true;
        protocol.closeWriting(status);
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
            protocol.updateReading();
        }
    }

    /**
     * From the first close frame written, or the first step to close TCP, the connection has the
     * close timeout to end: a peer that stopped reading can hold a close frame back for ever.
     */
    private void armCloseDeadline() {
        if (!deadlineArmed) {
            deadlineArmed = true;
            wire.schedule(Wire.Timer.CLOSE, closeTimeout);
        }
    }
}
