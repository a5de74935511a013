package io.echowall.websocket;

import io.echowall.Message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Messages received but not yet taken by the session's handler: one producer (the connection's event
 * loop) and one consumer at a time (the handler's thread).
 *
 * <p>Bounded by water marks, not by refusing messages: when {@code maxMessages} messages or
 * {@code maxBytes} bytes are waiting it asks the connection to stop reading, and once the handler has
 * taken it down to half of both it asks to read again. So a slow handler pushes back on the peer
 * through TCP rather than on the heap; at most one network read's worth of messages overshoots.
 *
 * <p>While the producer {@link #holdWakeUps holds wake-ups} (a read burst is in progress), messages
 * are only queued, and the consumer is woken once when the hold ends: a burst of messages costs one
 * wake-up, and the consumer takes them all in it. A consumer is unparked only when it is parked or
 * about to park, at most once per park.
 */
public final class Inbox {

    /** Told when the inbox wants the connection to stop or resume reading. */
    public interface ReadControl {
        /** Called on the producer's thread when the inbox filled up. */
        void pauseReading();

        /**
         * Called once the inbox drained to its low-water mark: on the consumer's thread, or on the
         * producer's if the consumer drained it while the producer was deciding to pause.
         */
        void resumeReading();
    }

    private static final VarHandle WAITER;

    static {
        try {
            WAITER = MethodHandles.lookup().findVarHandle(Inbox.class, "waiter", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ConcurrentLinkedQueue<Message> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final int maxMessages;
    private final long maxBytes;
    private final ReadControl readControl;
    private volatile boolean closed;
    private volatile Thread waiter;

    // Producer only.
    private boolean held;
    private boolean wakeOwed;

    /** An inbox that pauses reading at {@code maxMessages} messages or {@code maxBytes} bytes. */
    public Inbox(int maxMessages, long maxBytes, ReadControl readControl) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.readControl = readControl;
    }

    /**
     * Producer: adds a message, waking the consumer unless wake-ups are held; ignored once the inbox
     * is {@link #close() closed}.
     */
    public void offer(Message message) {
        if (closed) {
            return;
        }
        queue.offer(message);
        int n = messages.incrementAndGet();
        long b = bytes.addAndGet(message.size());
        if ((n >= maxMessages || b >= maxBytes) && paused.compareAndSet(false, true)) {
            readControl.pauseReading();
            // The counts above may be stale: the consumer may have taken everything since, before
            // the flag was up for it to see, and then nobody would resume. Each side sets its own
            // value before reading the other's, so one of the two sees the drained inbox.
            resumeIfDrained();
        }
        if (held) {
            wakeOwed = true;
        } else {
            wakeConsumer();
        }
    }

    /**
     * Producer: holds wake-ups while {@code hold} (a read burst begins), or ends the hold and wakes the
     * consumer once if a message came meanwhile.
     *
     * @return whether a message came while wake-ups were held: the burst had something to hand over
     */
    public boolean holdWakeUps(boolean hold) {
        held = hold;
        boolean owed = wakeOwed;
        if (!hold && owed) {
            wakeOwed = false;
            wakeConsumer();
        }
        return owed;
    }

    /** Producer: no message will follow; the consumer gets the ones already queued, then the end. */
    public void close() {
        closed = true;
        wakeConsumer();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Whether no message is waiting. */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Consumer: the next message without waiting, or null. */
    public Message poll() {
        Message message = queue.poll();
        if (message != null) {
            taken(message);
        }
        return message;
    }

    /**
     * Consumer: waits up to {@code timeoutNanos} (negative: forever) for the next message.
     *
     * @return the message, or null if the inbox is closed and empty or the time ran out (tell them
     *         apart with {@link #isClosed()})
     */
    public Message take(long timeoutNanos) throws InterruptedException {
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
        while (true) {
            Message message = poll();
            if (message != null) {
                return message;
            }
            if (closed) {
                return poll(); // a message may have landed just before close
            }
            waiter = Thread.currentThread();
            try {
                // Re-check after publishing the waiter: an offer racing with us either sees the
                // waiter and unparks, or put its message where this check finds it.
                if (queue.isEmpty() && !closed) {
                    if (timeoutNanos < 0) {
                        LockSupport.park(this);
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return null;
                        }
                        LockSupport.parkNanos(this, left);
                    }
                }
            } finally {
                waiter = null;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private void taken(Message message) {
        messages.decrementAndGet();
        bytes.addAndGet(-message.size());
        resumeIfDrained();
    }

    /** Asks to read again if reading is paused and the handler took the inbox down to half of both limits. */
    private void resumeIfDrained() {
        if (paused.get() && messages.get() <= maxMessages / 2 && bytes.get() <= maxBytes / 2
                && paused.compareAndSet(true, false)) {
            readControl.resumeReading();
        }
    }

    /** Whether the inbox asked the connection to stop reading and has not asked it to resume. */
    public boolean isPaused() {
        return paused.get();
    }

    private void wakeConsumer() {
        // Taking the waiter out unparks it once: later offers before it runs again cost one read.
        if (waiter != null) {
            Thread t = (Thread) WAITER.getAndSet(this, null);
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }
}
