package io.echowall.internal;

import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Frames written by threads other than the connection's event loop (handlers on virtual threads),
 * waiting for one event-loop task to write them all with one flush: a task and a flush per message
 * would cost several times more. A drain has a deadline, so that one connection's backlog (costly to
 * write when it is compressed) cannot hold the loop. The queue is made on first use: connections
 * served on the event loop never need it.
 */
final class Outbox {

    private static final VarHandle FRAMES;
    private static final VarHandle BYTES;
    private static final VarHandle DRAIN_SCHEDULED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FRAMES = lookup.findVarHandle(Outbox.class, "frames", Queue.class);
            BYTES = lookup.findVarHandle(Outbox.class, "bytes", long.class);
            DRAIN_SCHEDULED = lookup.findVarHandle(Outbox.class, "drainScheduled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Payload bytes after which the drain's deadline is checked, besides every 32 frames. */
    private static final long CHECK_BYTES = 64 << 10;

    private volatile Queue<WebSocketFrame> frames;
    private volatile long bytes;
    private volatile boolean drainScheduled;

    /**
     * Any thread: queues {@code frame}.
     *
     * @return whether the caller must schedule a drain: none is scheduled yet
     */
    boolean offer(WebSocketFrame frame) {
        BYTES.getAndAdd(this, (long) frame.content().readableBytes());
        queue().offer(frame);
        return DRAIN_SCHEDULED.compareAndSet(this, false, true);
    }

    /** Payload bytes queued. */
    long bytes() {
        return bytes;
    }

    /**
     * Event loop: hands queued frames to {@code write}, in order, until none is left or, checked every
     * few frames or large payloads, {@code budgetNanos} have passed ({@link Long#MAX_VALUE}: no limit).
     *
     * @return whether the outbox was emptied; if not, the caller must drain again later
     */
    boolean drainTo(Consumer<WebSocketFrame> write, long budgetNanos) {
        Queue<WebSocketFrame> queue = frames;
        if (queue == null) {
            return true;
        }
        drainScheduled = false; // before polling: a frame offered from now on schedules another drain
        long start = System.nanoTime();
        long sinceCheck = 0;
        int framesSinceCheck = 0;
        WebSocketFrame frame;
        while ((frame = queue.poll()) != null) {
            sinceCheck += frame.content().readableBytes();
            write.accept(frame);
            if (++framesSinceCheck == 32 || sinceCheck > CHECK_BYTES) {
                // Now and then, not per frame: what was handed over leaves the count (the channel's count
                // has it), and the deadline is checked.
                BYTES.getAndAdd(this, -sinceCheck);
                framesSinceCheck = 0;
                sinceCheck = 0;
                if (System.nanoTime() - start > budgetNanos) {
                    return queue.isEmpty();
                }
            }
        }
        BYTES.getAndAdd(this, -sinceCheck);
        return true;
    }

    private Queue<WebSocketFrame> queue() {
        Queue<WebSocketFrame> queue = frames;
        if (queue == null) {
            FRAMES.compareAndSet(this, null, new ConcurrentLinkedQueue<WebSocketFrame>());
            queue = frames;
        }
        return queue;
    }
}
