package io.echowall.bench;

import io.netty.channel.EventLoop;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Paces one event loop's share of a fixed total rate. Message {@code g} of the loop (g = 0, 1, …)
 * is due at {@code start + g / rate} and goes to connection {@code g % n}, so each connection sends
 * evenly spaced messages and the connections are evenly staggered. Each tick sends everything that
 * is due, flushes once per connection touched, and schedules itself for the next due time.
 */
final class RateSchedule implements Runnable {
    private final EventLoop loop;
    private final List<RateConnection> connections;
    private final long start;
    private final double intervalNanos;
    private final long planned;
    private long next;

    /**
     * {@code rate} messages per second from the clock's start, {@code planned} messages in all, over
     * {@code connections} (all on {@code loop}). Run it on {@code loop} to start sending.
     */
    RateSchedule(EventLoop loop, List<RateConnection> connections, RunClock clock, double rate, long planned) {
        this.loop = loop;
        this.connections = List.copyOf(connections);
        this.start = clock.start();
        this.intervalNanos = 1e9 / rate;
        this.planned = planned;
        for (int slot = 0; slot < this.connections.size(); slot++) {
            this.connections.get(slot).join(this, slot, clock);
        }
    }

    /** When message {@code sequence} of the connection in {@code slot} is due. */
    long dueTime(int slot, long sequence) {
        return dueTimeOf(sequence * connections.size() + slot);
    }

    EventLoop loop() {
        return loop;
    }

    /** Planned messages not written yet: not due yet, or due but held back by a full socket. */
    long backlog() {
        long notYetDue = planned - next;
        long waiting = 0;
        for (RateConnection connection : connections) {
            waiting += connection.backlog();
        }
        return notYetDue + waiting;
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        int n = connections.size();
        long first = next;
        while (next < planned) {
            long dueAt = dueTimeOf(next);
            if (dueAt > now) {
                loop.schedule(this, dueAt - now, TimeUnit.NANOSECONDS);
                break;
            }
            connections.get((int) (next % n)).dueOne();
            next++;
        }
        // Messages go round robin, so this tick touched a run of consecutive slots from `first`.
        long touched = Math.min(next - first, n);
        for (long i = 0; i < touched; i++) {
            connections.get((int) ((first + i) % n)).flushIfNeeded();
        }
    }

    private long dueTimeOf(long index) {
        return start + (long) (index * intervalNanos);
    }
}
