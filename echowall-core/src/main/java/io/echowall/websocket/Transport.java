package io.echowall.websocket;

import io.echowall.Message;

import java.net.InetSocketAddress;

/**
 * What a {@link Session} needs from the connection under it to send data and to reach its event loop;
 * the protocol's own actions go through {@link Wire}. Implemented over Netty in
 * {@code io.echowall.internal}; safe from any thread.
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

    /** Whether what is queued for the network is within the send buffer. */
    boolean isWritable();

    /** Bytes queued that the network has not taken yet. */
    long bufferedAmount();

    /** Whether the caller runs on this connection's event loop. */
    boolean inEventLoop();

    /** Runs {@code task} on the connection's event loop, in submission order. */
    void execute(Runnable task);

    /** The peer's address. */
    InetSocketAddress remoteAddress();
}
