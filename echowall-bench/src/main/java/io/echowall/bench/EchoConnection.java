package io.echowall.bench;

/**
 * Keeps a fixed number of messages in flight: each echo that comes back is replaced by a new
 * message until the clock says stop. Latency is measured from the actual send time.
 */
final class EchoConnection extends LoadConnection {
    /** Send times by {@code sequence % inFlight}: at most that many messages are out at once. */
    private final long[] sendTimes;

    EchoConnection(int id, MessageShape shape, int inFlight) {
        super(id, shape);
        this.sendTimes = new long[inFlight];
    }

    /** Sends the first window of messages; called on the loop when the run starts. */
    void start(RunClock clock) {
        this.clock = clock;
        if (closeSent() || !isConnected()) {
            return;
        }
        long now = System.nanoTime();
        for (int i = 0; i < sendTimes.length; i++) {
            send(now);
        }
        flushIfNeeded();
    }

    @Override
    protected long sendTimeOf(long sequence) {
        return sendTimes[(int) (sequence % sendTimes.length)];
    }

    /** Replaces the echoed message; the replacement leaves with the rest of this read burst (channelReadComplete). */
    @Override
    protected void onEchoed(long now) {
        if (now < clock.sendUntil() && !closeSent()) {
            send(now);
        }
    }

    private void send(long now) {
        sendTimes[(int) (sent % sendTimes.length)] = now;
        sendNext();
    }
}
