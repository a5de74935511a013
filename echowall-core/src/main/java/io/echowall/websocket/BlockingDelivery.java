package io.echowall.websocket;

import io.echowall.CloseStatus;
import io.echowall.ConnectionClosed;
import io.echowall.Message;
import io.echowall.WebSocketHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadFactory;

/**
 * A blocking handler that owns its session on a virtual thread of its own, from open until it returns,
 * pulling messages from the session's inbox with {@link #receive(long)}.
 */
final class BlockingDelivery implements Delivery {

    private static final Logger log = LoggerFactory.getLogger(BlockingDelivery.class);
    private static final ThreadFactory THREADS = Thread.ofVirtual().name("echowall-ws-", 1).factory();

    private final Session session;
    private final WebSocketHandler handler;
    private final Inbox inbox;
    private volatile Thread thread;
    private volatile boolean finished;

    BlockingDelivery(Session session, WebSocketHandler handler, Inbox inbox) {
        this.session = session;
        this.handler = handler;
        this.inbox = inbox;
    }

    @Override
    public void open() {
        Thread t = THREADS.newThread(this::run);
        thread = t;
        t.start();
    }

    @Override
    public void message(Message message) {
        inbox.offer(message);
    }

    @Override
    public void readBurst(boolean inProgress) {
        inbox.holdWakeUps(inProgress);
    }

    @Override
    public boolean endInput() {
        inbox.close(); // wakes a handler waiting for a message: with none left, it reports the drain at once
        return finished;
    }

    @Override
    public void closed(CloseStatus status) {
        inbox.close();
    }

    @Override
    public void interrupt() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /**
     * Handler thread: waits up to {@code timeoutNanos} (negative: for ever) for the next message.
     *
     * @return the message, or null if none came in time
     * @throws ConnectionClosed once the input ended and every message before the end was taken
     */
    Message receive(long timeoutNanos) {
        Message message;
        try {
            message = inbox.take(timeoutNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosed(session.protocol().closeStatus());
        }
        if (message == null && inbox.isClosed()) {
            session.onEventLoop(session.protocol()::inputDrained); // after this thread's writes, in order
            throw new ConnectionClosed(session.protocol().closeStatus());
        }
        return message;
    }

    private void run() {
        try {
            handler.handle(session);
            session.closeWith(CloseStatus.NORMAL);
        } catch (Throwable t) {
            CloseStatus status = Closes.forFailure(t);
            if (Closes.isBug(t)) {
                log.error("WebSocket handler for {} failed; closing the connection with 1011", session.path(), t);
            }
            if (status != null) {
                session.closeWith(status);
            }
        } finally {
            finished = true;
            thread = null;
            inbox.close();
            session.onEventLoop(session.protocol()::inputDrained); // nothing more will be taken
            session.release();
        }
    }
}
