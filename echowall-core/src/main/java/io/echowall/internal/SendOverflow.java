package io.echowall.internal;

/**
 * What one connection's event-loop senders queued past its full send buffer, reserved from the
 * server-wide {@link SendBacklog}. Event loop only.
 */
final class SendOverflow {

    private final WebSocketConnection connection;
    private final SendBacklog backlog;
    private final int sendBufferSize;
    private long bytes;

    SendOverflow(WebSocketConnection connection, SendBacklog backlog, int sendBufferSize) {
        this.connection = connection;
        this.backlog = backlog;
        this.sendBufferSize = sendBufferSize;
    }

    /**
     * The send buffer full: whether {@code more} bytes may be queued past it. An event-loop sender
     * cannot wait, so it may go past the buffer by at most one more buffer's worth (always by one
     * message), and only while the server-wide backlog has room.
     */
    boolean admit(long more) {
        if (bytes > 0 && bytes + more > sendBufferSize || !backlog.tryReserveOverflow(more)) {
            return false;
        }
        bytes += more;
        return true;
    }

    /** The peer caught up, or is gone: it no longer counts as behind, and what went past its buffer is released. */
    void release() {
        backlog.caughtUp(connection);
        backlog.releaseOverflow(bytes);
        bytes = 0;
    }
}
