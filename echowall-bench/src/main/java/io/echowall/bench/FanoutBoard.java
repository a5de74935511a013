package io.echowall.bench;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the connections of one fan-out run share, from any event loop: the publishers (how many
 * messages each has sent, and the in-flight count-down), the run's clock once publishing starts, and
 * how many subscribers and publishers are ready.
 */
final class FanoutBoard {
    private final FanoutPublisher[] publishers;
    private final int subscribers;
    /** Subscribers that got the server's "ready". */
    final AtomicInteger subscribed = new AtomicInteger();
    /** Publishers whose session is open (at once for WebSocket; after the namespace connect for Socket.IO). */
    final AtomicInteger connectedPublishers = new AtomicInteger();
    /** Null until publishing starts; then the clock every timestamp is relative to. */
    private volatile RunClock clock;

    FanoutBoard(int publishers, int subscribers) {
        this.publishers = new FanoutPublisher[publishers];
        this.subscribers = subscribers;
    }

    /** Registers publisher {@code id}; before any connection opens. */
    void add(FanoutPublisher publisher) {
        publishers[publisher.id()] = publisher;
    }

    FanoutPublisher publisher(int id) {
        return publishers[id];
    }

    int publisherCount() {
        return publishers.length;
    }

    int subscribers() {
        return subscribers;
    }

    /** How many messages publisher {@code id} has sent so far. */
    long published(int id) {
        return publishers[id].published();
    }

    RunClock clock() {
        return clock;
    }

    /** Publishing starts now, on {@code clock}; called before the first message is sent. */
    void start(RunClock clock) {
        this.clock = clock;
    }
}
