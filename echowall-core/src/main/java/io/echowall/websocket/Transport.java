package io.echowall.websocket;

import io.echowall.CloseStatus;
import io.echowall.Message;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What a {@link Session} needs from the network connection under it. Implemented over Netty in
 * {@code io.echowall.internal}; tests implement it in memory to drive a session without sockets.
 *
 * <p>Methods marked "event loop" are only called from {@link #execute(Runnable)} tasks or from the
 * connection's own I/O callbacks; the others are safe from any thread.
 */
public interface Transport {

    /**
     * Queues a data message for the network. On the event loop during a read, the flush waits for the
     * end of the read burst; anywhere else the message is flushed at once.
     *
     * @return false when the message was refused because the peer is too far behind: on the event
     *         loop, which cannot wait for room, past the limits on queueing beyond the send buffer
     */
    boolean write(Message message);

    /** Queues a text message given as a string, encoding it straight into a network buffer; as {@link #write}. */
    boolean writeText(String text);

    /** Whether the outbound buffer is below its high-water mark. */
    boolean isWritable();

    /** Bytes queued that the network has not taken yet. */
    long bufferedAmount();

    /** Event loop: writes a close frame carrying {@code status} (an empty one for 1005) and flushes. */
    void writeClose(CloseStatus status);

    /** Event loop: closes the TCP connection once everything queued before it is written. */
    void closeConnection();

    /** Event loop: starts or stops reading from the peer. */
    void setReading(boolean reading);

    /** Whether the caller runs on this connection's event loop. */
    boolean inEventLoop();

    /** Runs {@code task} on the connection's event loop, in submission order. */
    void execute(Runnable task);

    /** Runs {@code task} on the event loop after {@code delay}; the returned handle cancels it. */
    Runnable schedule(Runnable task, Duration delay);

    /** The peer's address. */
    InetSocketAddress remoteAddress();
}
