package io.echowall.websocket;

import io.echowall.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(10)
class InboxTest {

    private final List<String> calls = new ArrayList<>();
    private final Inbox.ReadControl control = new Inbox.ReadControl() {
        @Override
        public void pauseReading() {
            calls.add("pause");
        }

        @Override
        public void resumeReading() {
            calls.add("resume");
        }
    };

    @Test
    void pausesAtTheMessageLimitAndResumesAtHalf() {
        Inbox inbox = new Inbox(4, 1 << 20, control);
        for (int i = 0; i < 3; i++) {
            inbox.offer(Message.text("m" + i));
        }
        assertThat(calls).isEmpty();
        inbox.offer(Message.text("m3"));
        assertThat(calls).containsExactly("pause");
        inbox.offer(Message.text("m4")); // overshoot is kept, not dropped
        assertThat(calls).containsExactly("pause");
        inbox.poll();
        inbox.poll();
        assertThat(calls).containsExactly("pause");
        inbox.poll(); // 2 left: at half
        assertThat(calls).containsExactly("pause", "resume");
        assertThat(inbox.poll().text()).isEqualTo("m3");
        assertThat(inbox.poll().text()).isEqualTo("m4");
    }

    @Test
    void pausesAtTheByteLimit() {
        Inbox inbox = new Inbox(100, 10, control);
        inbox.offer(Message.binary(new byte[6]));
        assertThat(inbox.isPaused()).isFalse();
        inbox.offer(Message.binary(new byte[6]));
        assertThat(inbox.isPaused()).isTrue();
        inbox.poll(); // 6 bytes still waiting: above half of 10
        assertThat(calls).containsExactly("pause");
        inbox.poll();
        assertThat(calls).containsExactly("pause", "resume");
    }

    @Test
    void takeWaitsForAMessageFromAnotherThread() throws Exception {
        Inbox inbox = new Inbox(8, 1 << 20, control);
        Thread consumer = Thread.currentThread();
        Thread producer = Thread.ofVirtual().start(() -> {
            awaitParked(consumer);
            inbox.offer(Message.text("late"));
        });
        assertThat(inbox.take(-1).text()).isEqualTo("late");
        producer.join();
    }

    @Test
    void afterCloseTheQueuedMessagesComeFirstThenTheEnd() throws Exception {
        Inbox inbox = new Inbox(8, 1 << 20, control);
        inbox.offer(Message.text("a"));
        inbox.offer(Message.text("b"));
        inbox.close();
        inbox.offer(Message.text("ignored"));
        assertThat(inbox.take(-1).text()).isEqualTo("a");
        assertThat(inbox.take(-1).text()).isEqualTo("b");
        assertThat(inbox.take(-1)).isNull();
        assertThat(inbox.isClosed()).isTrue();
    }

    @Test
    void closeWakesAWaitingConsumer() throws Exception {
        Inbox inbox = new Inbox(8, 1 << 20, control);
        Thread consumer = Thread.currentThread();
        Thread closer = Thread.ofVirtual().start(() -> {
            awaitParked(consumer);
            inbox.close();
        });
        assertThat(inbox.take(-1)).isNull();
        closer.join();
    }

    @Test
    void takeWithATimeoutReturnsNullWhileStillOpen() throws Exception {
        Inbox inbox = new Inbox(8, 1 << 20, control);
        assertThat(inbox.take(TimeUnit.MILLISECONDS.toNanos(20))).isNull();
        assertThat(inbox.isClosed()).isFalse();
    }

    /**
     * The race an echo client with a few messages in flight meets: the consumer takes every message
     * between the producer counting the one that fills the inbox and the producer asking to pause.
     * The consumer saw no pause to end, so the producer must notice the drained inbox itself; else
     * reading stays paused with nothing left to take, and the connection hangs.
     */
    @Test
    void readingIsNeverLeftPausedOnceTheConsumerTookEverything() throws Exception {
        AtomicInteger paused = new AtomicInteger();
        Inbox inbox = new Inbox(1, 1 << 20, new Inbox.ReadControl() {
            @Override
            public void pauseReading() {
                paused.incrementAndGet();
            }

            @Override
            public void resumeReading() {
                paused.decrementAndGet();
            }
        });
        int rounds = 100_000;
        AtomicInteger taken = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread consumer = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                if (inbox.poll() != null) {
                    taken.incrementAndGet();
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        Message message = Message.text("m");
        int leftPaused = 0;
        try {
            for (int round = 1; round <= rounds && leftPaused == 0; round++) {
                inbox.offer(message);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                while (taken.get() < round && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(taken.get()).as("taken by round %d", round).isEqualTo(round);
                if (inbox.isPaused() || paused.get() != 0) {
                    leftPaused = round;
                }
            }
        } finally {
            done.set(true);
            consumer.join();
        }
        assertThat(leftPaused).as("the first round that left reading paused with the inbox empty").isZero();
    }

    @Test
    void manyMessagesFromAProducerArriveInOrder() throws Exception {
        Inbox inbox = new Inbox(16, 1 << 20, new Inbox.ReadControl() {
            @Override
            public void pauseReading() {
            }

            @Override
            public void resumeReading() {
            }
        });
        int count = 50_000;
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < count; i++) {
                inbox.offer(Message.text(Integer.toString(i)));
            }
            inbox.close();
        });
        for (int i = 0; i < count; i++) {
            assertThat(inbox.take(-1).text()).isEqualTo(Integer.toString(i));
        }
        assertThat(inbox.take(-1)).isNull();
        producer.join();
    }

    @Test
    void aHeldBurstWakesTheConsumerOnceAtItsEndWithEveryMessage() throws Exception {
        Inbox inbox = new Inbox(8, 1 << 20, control);
        List<String> taken = new ArrayList<>();
        Thread consumer = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 3; i++) {
                    taken.add(inbox.take(-1).text());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitParked(consumer);
        assertThat(inbox.holdWakeUps(true)).isFalse();
        inbox.offer(Message.text("a"));
        inbox.offer(Message.text("b"));
        inbox.offer(Message.text("c"));
        assertThat(consumer.getState()).isEqualTo(Thread.State.WAITING); // not woken during the burst
        assertThat(inbox.holdWakeUps(false)).isTrue();
        consumer.join();
        assertThat(taken).containsExactly("a", "b", "c");
    }

    @Test
    void aBurstWithNoMessageOwesNoWakeUp() {
        Inbox inbox = new Inbox(8, 1 << 20, control);
        inbox.holdWakeUps(true);
        assertThat(inbox.holdWakeUps(false)).isFalse();
    }

    @Test
    void closeWakesTheConsumerEvenDuringAHeldBurst() throws Exception {
        Inbox inbox = new Inbox(8, 1 << 20, control);
        Thread consumer = Thread.currentThread();
        Thread producer = Thread.ofVirtual().start(() -> {
            awaitParked(consumer);
            inbox.holdWakeUps(true);
            inbox.offer(Message.text("last"));
            inbox.close();
        });
        assertThat(inbox.take(-1).text()).isEqualTo("last");
        assertThat(inbox.take(-1)).isNull();
        producer.join();
    }

    @Test
    void burstsFromAProducerArriveInOrder() throws Exception {
        Inbox inbox = new Inbox(16, 1 << 20, new Inbox.ReadControl() {
            @Override
            public void pauseReading() {
            }

            @Override
            public void resumeReading() {
            }
        });
        int count = 50_000;
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < count; i++) {
                if (i % 7 == 0) {
                    inbox.holdWakeUps(true);
                }
                inbox.offer(Message.text(Integer.toString(i)));
                if (i % 7 == 6) {
                    inbox.holdWakeUps(false);
                }
            }
            inbox.holdWakeUps(false);
            inbox.close();
        });
        for (int i = 0; i < count; i++) {
            assertThat(inbox.take(-1).text()).isEqualTo(Integer.toString(i));
        }
        assertThat(inbox.take(-1)).isNull();
        producer.join();
    }

    /** Waits until {@code consumer} is parked in {@code take}, so the wake-up path is what is tested. */
    private static void awaitParked(Thread consumer) {
        await().until(() -> consumer.getState() == Thread.State.WAITING);
    }
}
