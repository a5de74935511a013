package io.echowall.websocket;

import io.echowall.Message;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Holds a {@link Protocol}'s peer to its endpoint's message rate: a message that takes the peer over
 * the limit pauses reading for as long as the limit says, and messages read meanwhile wait here, to
 * be handed over as the limit allows. Event loop only.
 */
final class Throttle {

    private final Protocol protocol;
    private final Wire wire;
    private final RateLimit limit;
    /** Messages read while over the rate limit: handed over as the limit allows. */
    private final ArrayDeque<Message> throttled = new ArrayDeque<>();

    Throttle(Protocol protocol, Wire wire, RateLimit limit) {
        this.protocol = protocol;
        this.wire = wire;
        this.limit = limit;
    }

    /** A message arrived: handed over to {@code delivery}, unless the peer is over its rate. */
    void received(Message message, Delivery delivery) {
        if (rateLimited()) {
            // Reading is paused, but the rest of what the last read brought still comes: it waits here.
            throttled.add(message);
        } else {
            deliverWithinRate(message, delivery);
        }
    }

    /** The rate limit's pause ended: messages that waited are handed over, while the rate allows. */
    void resume(Delivery delivery) {
        while (!throttled.isEmpty() && !rateLimited()) {
            deliverWithinRate(throttled.poll(), delivery);
        }
    }

    /** The input ends: messages held back by the rate limit are handed over now, so none is lost. */
    void release(Delivery delivery) {
        while (!throttled.isEmpty()) {
            delivery.message(throttled.poll());
        }
    }

    private boolean rateLimited() {
        return protocol.isPaused(Pause.RATE_LIMITED);
    }

    /** Hands {@code message} over, and pauses reading if it put the peer over its rate limit. */
    private void deliverWithinRate(Message message, Delivery delivery) {
        delivery.message(message);
        long pause = limit.pauseAfter(message.size());
        if (pause > 0) {
            protocol.pause(Pause.RATE_LIMITED, true);
            wire.schedule(Wire.Timer.RATE_LIMIT, Duration.ofNanos(pause));
        }
    }
}
