package io.echowall.websocket;

import io.echowall.CloseStatus;
import io.echowall.Message;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listener called on virtual threads: messages wait in the session's inbox, and a virtual thread,
 * started when there is something to deliver and ended when there is nothing left, calls the listener
 * for each, one thread at a time, so callbacks never overlap and may block.
 */
final class ListenerDelivery implements Delivery {

    // One name for all: a thread starts per read burst, and numbering each costs a string per burst.
    private static final ThreadFactory THREADS = Thread.ofVirtual().name("echowall-listener").factory();

    private final Session session;
    private final ListenerCalls calls;
    private final Inbox inbox;
    private final AtomicBoolean delivering = new AtomicBoolean();
    private volatile CloseStatus closedWith;
    private volatile Thread thread;
    private boolean inBurst; // event loop only

    ListenerDelivery(Session session, ListenerCalls calls, Inbox inbox) {
        this.session = session;
        this.calls = calls;
        this.inbox = inbox;
    }

    @Override
    public void open() {
        deliver();
    }

    @Override
    public void message(Message message) {
        inbox.offer(message);
        if (!inBurst) {
            deliver();
        }
    }

    @Override
    public void readBurst(boolean inProgress) {
        inBurst = inProgress;
        if (inbox.holdWakeUps(inProgress)) {
            deliver(); // one delivering thread for the whole burst
        }
    }

    @Override
    public boolean endInput() {
        inbox.close();
        if (!delivering.get() && inbox.isEmpty()) {
            return true;
        }
        deliver();
        return false;
    }

    @Override
    public void closed(CloseStatus status) {
        closedWith = status;
        inbox.close();
        deliver();
    }

    @Override
    public void interrupt() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private void deliver() {
        if (delivering.compareAndSet(false, true)) {
            THREADS.newThread(this::deliverAll).start();
        }
    }

    /** Runs on the delivering thread: delivers until nothing is pending, without losing a wake-up. */
    private void deliverAll() {
        do {
            thread = Thread.currentThread();
            deliverPending();
            thread = null;
            delivering.set(false);
        } while (hasPending() && delivering.compareAndSet(false, true));
    }

    private boolean hasPending() {
        return !calls.opened() || !inbox.isEmpty() || (closedWith != null && !calls.closed());
    }

    private void deliverPending() {
        if (!calls.opened()) {
            calls.open();
        }
        Message message;
        while ((message = inbox.poll()) != null) {
            calls.message(message);
        }
        if (inbox.isClosed()) {
            session.onEventLoop(session.protocol()::inputDrained); // after the replies to what came before
        }
        CloseStatus status = closedWith;
        if (status != null && inbox.isEmpty()) {
            calls.close(status);
        }
    }
}
