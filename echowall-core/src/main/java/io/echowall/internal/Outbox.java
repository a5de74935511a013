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
 * would cost several times more. The queue is made on first use: connections served on the event
 * loop never need it.
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
     * Event loop: hands every queued frame to {@code write}, in order.
     *
     * @return the payload bytes handed over
     */
    long drainTo(Consumer<WebSocketFrame> write) {
        Queue<WebSocketFrame> queue = frames;
        if (queue == null) {
            return 0;
        }
        drainScheduled = false; // before polling: a frame offered from now on schedules another drain
        long drained = 0;
        WebSocketFrame frame;
        while ((frame = queue.poll()) != null) {
            drained += frame.content().readableBytes();
            write.accept(frame);
        }
        BYTES.getAndAdd(this, -drained);
        return drained;
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
