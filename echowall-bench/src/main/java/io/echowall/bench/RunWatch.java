package io.echowall.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;

/**
 * Watches a timed run from the main thread: a progress line once a second until the clock stops
 * sending, and the event loops' CPU time over the measurement window.
 */
final class RunWatch {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private RunWatch() {
    }

    /**
     * Blocks until {@code clock.sendUntil()}, showing {@code counted} per second as {@code unit};
     * returns the CPU time of the loops and of the server {@code serverPid} (null: not measured)
     * between {@code measureFrom} and {@code sendUntil}.
     */
    static WindowCpu watch(ClientFleet fleet, RunClock clock, Progress progress, String unit, ToLongFunction<Totals> counted,
                           Long serverPid) {
        long cpuAtStart = -1;
        long serverAtStart = -1;
        boolean measuring = false;
        long nextTick = clock.start() + SECOND;
        long lastCount = 0;
        long lastTime = clock.start();
        while (true) {
            long now = System.nanoTime();
            if (!measuring && now >= clock.measureFrom()) {
                cpuAtStart = fleet.loopCpuNanos();
                serverAtStart = serverPid == null ? -1 : ServerCpu.nanos(serverPid);
                measuring = true;
            }
            if (now >= clock.sendUntil()) {
                break;
            }
            if (now >= nextTick) {
                Totals totals = fleet.totals();
                long count = counted.applyAsLong(totals);
                double perSecond = (count - lastCount) * 1e9 / Math.max(1, now - lastTime);
                lastCount = count;
                lastTime = now;
                progress.show(String.format(Locale.ROOT, "%5.0fs %s %,12.0f %s/s   errors %,d",
                        (now - clock.start()) / 1e9, now < clock.measureFrom() ? "warmup " : "measure",
                        perSecond, unit, fleet.errors().total()));
                nextTick += SECOND;
                continue;
            }
            long wake = Math.min(nextTick, clock.sendUntil());
            if (!measuring) {
                wake = Math.min(wake, clock.measureFrom());
            }
            sleepNanos(wake - now);
        }
        long cpuAtEnd = fleet.loopCpuNanos();
        long serverAtEnd = serverPid == null ? -1 : ServerCpu.nanos(serverPid);
        return new WindowCpu(cpuAtStart < 0 || cpuAtEnd < 0 ? -1 : cpuAtEnd - cpuAtStart,
                serverAtStart < 0 ? -1 : serverAtEnd - serverAtStart);
    }

    /** Polls every 10 ms until {@code done} holds or {@code timeoutNanos} pass; returns whether it held. */
    static boolean waitFor(BooleanSupplier done, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            sleepNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
        }
        return true;
    }

    static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException(BenchException.RUN, "interrupted");
        }
    }
}
