package io.echowall.bench;

import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Paces one event loop's share of a fixed total rate. Message {@code g} of the loop (g = 0, 1, …)
 * is due at {@code start + g / rate} and goes to connection {@code g % n}, so each connection sends
 * evenly spaced messages and the connections are evenly staggered. Each tick sends everything that
 * is due, flushes once per connection touched, and schedules itself for the next due time.
 */
final class RateSchedule implements Runnable {

    /** A connection that sends when its schedule says a message is due. Every method runs on the schedule's loop. */
    interface Paced {
        /** Joins {@code schedule} as its {@code slot}-th connection, before the run starts. */
        void join(RateSchedule schedule, int slot, RunClock clock);

        /** One more message is due: send it, and any earlier ones still waiting, as far as the socket takes them, without flushing. */
        void dueOne();

        /** Messages that were due but could not be written yet. */
        long backlog();

        /** Sends what was written since the last flush. */
        void flushIfNeeded();

        /** The loop the connection runs on. */
        EventLoop eventLoop();
    }

    private final EventLoop loop;
    private final List<? extends Paced> connections;
    private final long start;
    private final double intervalNanos;
    private final long planned;
    private long next;

    /**
     * {@code rate} messages per second from the clock's start, {@code planned} messages in all, over
     * {@code connections} (all on {@code loop}). Run it on {@code loop} to start sending.
     */
    RateSchedule(EventLoop loop, List<? extends Paced> connections, RunClock clock, double rate, long planned) {
        this.loop = loop;
        this.connections = List.copyOf(connections);
        this.start = clock.start();
        this.intervalNanos = 1e9 / rate;
        this.planned = planned;
        for (int slot = 0; slot < this.connections.size(); slot++) {
            this.connections.get(slot).join(this, slot, clock);
        }
    }

    /**
     * Starts one schedule per event loop, each pacing its loop's {@code connections} at their share of
     * {@code rate} (messages per second in all) from the clock's start, and returns them. With one loop
     * it sends exactly {@code planned} messages; with several, each rounds its share down.
     */
    static List<RateSchedule> startAll(List<? extends Paced> connections, RunClock clock, double rate, long planned) {
        Map<EventLoop, List<Paced>> byLoop = new LinkedHashMap<>();
        for (Paced connection : connections) {
            byLoop.computeIfAbsent(connection.eventLoop(), loop -> new ArrayList<>()).add(connection);
        }
        double totalSeconds = (clock.sendUntil() - clock.start()) / 1e9;
        List<RateSchedule> schedules = new ArrayList<>(byLoop.size());
        for (var loopConnections : byLoop.entrySet()) {
            double share = rate * loopConnections.getValue().size() / connections.size();
            long loopPlanned = byLoop.size() == 1 ? planned : (long) Math.floor(share * totalSeconds);
            RateSchedule schedule = new RateSchedule(loopConnections.getKey(), loopConnections.getValue(), clock, share, loopPlanned);
            schedules.add(schedule);
            loopConnections.getKey().execute(schedule);
        }
        return schedules;
    }

    /** Planned messages not sent yet, over all {@code schedules} (each asked on its own loop). */
    static long totalBacklog(List<RateSchedule> schedules) {
        long backlog = 0;
        for (RateSchedule schedule : schedules) {
            try {
                backlog += schedule.loop.submit(schedule::backlog).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException(BenchException.RUN, "interrupted");
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("an event loop did not answer", e);
            }
        }
        return backlog;
    }

    /** Messages this schedule sends in all. */
    long planned() {
        return planned;
    }

    /** When message {@code sequence} of the connection in {@code slot} is due. */
    long dueTime(int slot, long sequence) {
        return dueTimeOf(sequence * connections.size() + slot);
    }

    /** Planned messages not written yet: not due yet, or due but held back by a full socket. */
    long backlog() {
        long notYetDue = planned - next;
        long waiting = 0;
        for (Paced connection : connections) {
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
