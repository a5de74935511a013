package io.echowall.jmh;

import io.echowall.Message;
import io.echowall.websocket.Inbox;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Handing messages from the event loop (here the benchmark's platform thread) to a handler's virtual
 * thread and back: Echowall's {@link Inbox} against a {@link LinkedBlockingQueue} and a
 * {@link SynchronousQueue}, the same kind of queue in both directions.
 *
 * <p>{@code pingPong}: one message there and back, so every take parks and every offer unparks: the
 * latency of an idle connection's echo. {@code burst}: {@value #BURST} messages offered back to back
 * (below the inbox's default water mark of 64) and one reply after the last: the cost per message
 * when a read burst brings many. {@code inboxHeld} is the inbox as a connection drives it: wake-ups
 * are held for the burst and the handler is woken once at its end.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HandOffBenchmark {

    static final int BURST = 32;

    @Param({"inbox", "inboxHeld", "linkedBlockingQueue", "synchronousQueue"})
    String queue;

    private static final Message MESSAGE = Message.text("hello, echo wall!");
    private static final Message STOP = Message.text("stop");

    private Channel forward;
    private Channel back;
    private Thread consumer;

    /** One direction of the hand-off. */
    interface Channel {
        void put(Message message) throws InterruptedException;

        Message take() throws InterruptedException;

        /** A read burst begins or ends (only an inbox that holds wake-ups cares). */
        default void burst(boolean inProgress) {
        }
    }

    private static Channel channel(String kind) {
        return switch (kind) {
            case "inbox" -> new InboxChannel(false);
            case "inboxHeld" -> new InboxChannel(true);
            case "linkedBlockingQueue" -> new QueueChannel(new LinkedBlockingQueue<>());
            case "synchronousQueue" -> new QueueChannel(new SynchronousQueue<>());
            default -> throw new IllegalArgumentException("unknown queue " + kind);
        };
    }

    /** The inbox with the server's default limits (64 messages, 1 MiB); pausing reading is a no-op. */
    private static final class InboxChannel implements Channel {
        private final boolean holdWakeUps;
        private final Inbox inbox = new Inbox(64, 1 << 20, new Inbox.ReadControl() {
            @Override
            public void pauseReading() {
            }

            @Override
            public void resumeReading() {
            }
        });

        InboxChannel(boolean holdWakeUps) {
            this.holdWakeUps = holdWakeUps;
        }

        @Override
        public void put(Message message) {
            inbox.offer(message);
        }

        @Override
        public void burst(boolean inProgress) {
            if (holdWakeUps) {
                inbox.holdWakeUps(inProgress);
            }
        }

        @Override
        public Message take() throws InterruptedException {
            return inbox.take(-1);
        }
    }

    private record QueueChannel(BlockingQueue<Message> queue) implements Channel {
        @Override
        public void put(Message message) throws InterruptedException {
            queue.put(message);
        }

        @Override
        public Message take() throws InterruptedException {
            return queue.take();
        }
    }

    @Setup
    public void setUp(BenchmarkParams params) {
        forward = channel(queue);
        back = channel(queue);
        int replyEvery = params.getBenchmark().endsWith("burst") ? BURST : 1;
        consumer = Thread.ofVirtual().name("handler").start(() -> {
            try {
                int taken = 0;
                Message m;
                while ((m = forward.take()) != STOP) {
                    if (++taken == replyEvery) {
                        taken = 0;
                        back.put(m);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @TearDown
    public void tearDown() throws InterruptedException {
        forward.put(STOP);
        consumer.join(5_000);
    }

    @Benchmark
    public Message pingPong() throws InterruptedException {
        forward.burst(true);
        forward.put(MESSAGE);
        forward.burst(false);
        return back.take();
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public Message burst() throws InterruptedException {
        forward.burst(true);
        for (int i = 0; i < BURST; i++) {
            forward.put(MESSAGE);
        }
        forward.burst(false);
        return back.take();
    }
}
