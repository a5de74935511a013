package io.echowall.websocket;

import io.echowall.CloseStatus;
import io.echowall.Message;

/**
 * How a session's messages reach user code: a blocking handler on its own virtual thread
 * ({@link BlockingDelivery}), a listener on virtual threads ({@link ListenerDelivery}), or a listener
 * on the event loop ({@link EventLoopDelivery}). The {@link Protocol} calls these on the event loop;
 * a delivery that queues messages tells the protocol, also on the event loop, when its consumer has
 * taken every one after the input ended ({@link Protocol#inputDrained()}).
 */
interface Delivery {

    /** The connection opened. */
    void open();

    /** A message arrived. */
    void message(Message message);

    /**
     * A read burst begins ({@code inProgress}) or ends: a delivery that hands messages to another thread
     * may hand over those of a burst together at its end, with one wake-up.
     */
    void readBurst(boolean inProgress);

    /**
     * No message will follow. Messages already here are still handed over.
     *
     * @return whether nothing is left to hand over, so a pending close may go out at once
     */
    boolean endInput();

    /** The connection is gone; {@code status} is how it ended. */
    void closed(CloseStatus status);

    /** Interrupts user code still running, because the server's patience ran out. */
    void interrupt();
}
