package io.echowall.websocket;

import io.echowall.CloseStatus;
import io.echowall.Message;

/** A listener called right on the event loop, in the middle of the read: for code that never blocks. */
final class EventLoopDelivery implements Delivery {

    private final ListenerCalls calls;

    EventLoopDelivery(ListenerCalls calls) {
        this.calls = calls;
    }

    @Override
    public void open() {
        calls.open();
    }

    @Override
    public void message(Message message) {
        calls.message(message);
    }

    @Override
    public void readBurst(boolean inProgress) {
        // Each message was handled as it came.
    }

    @Override
    public boolean endInput() {
        return true; // nothing waits: each message was handled as it came
    }

    @Override
    public void closed(CloseStatus status) {
        calls.close(status);
    }

    @Override
    public void interrupt() {
        // Callbacks on the event loop are never left running.
    }
}
