package io.echowall.internal;

import io.echowall.Handler;
import io.echowall.rooms.RoomHub;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The health pages: liveness (the event loops answer) and readiness (the server is running, not
 * stopping, and its room broker reaches the other servers). Each answers 200 or 503, with a small JSON
 * body that says why.
 */
final class HealthChecks {

    /**
     * How long every event loop together has to run an empty task: a loop stuck this long serves no
     * one, and the answer still comes within the 1 s that orchestrators give a probe by default.
     */
    private static final long LOOP_PATIENCE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final RoomHub rooms;
    private volatile EventExecutorGroup loops;
    private volatile boolean stopping;

    HealthChecks(RoomHub rooms) {
        this.rooms = rooms;
    }

    /** The server started on {@code loops}. */
    void serving(EventExecutorGroup loops) {
        this.loops = loops;
        this.stopping = false;
    }

    /** The server began to stop: it is no longer ready. */
    void stopping() {
        stopping = true;
    }

    /** Whether every event loop runs a task within {@link #LOOP_PATIENCE_NANOS}. Blocks for at most that long. */
    boolean live() {
        EventExecutorGroup group = loops;
        if (group == null) {
            return false;
        }
        List<EventExecutor> all = new ArrayList<>();
        group.forEach(all::add);
        CountDownLatch answered = new CountDownLatch(all.size());
        try {
            for (EventExecutor loop : all) {
                loop.execute(answered::countDown);
            }
            return answered.await(LOOP_PATIENCE_NANOS, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The liveness report: {@code status} UP or DOWN. */
    Map<String, String> liveness() {
        return report(Map.of(), live());
    }

    /** The readiness report: {@code status} UP or DOWN, then each check, {@code server} and {@code broker}. */
    Map<String, String> readiness() {
        boolean running = loops != null && !stopping;
        boolean broker = rooms.healthy();
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("server", running ? "UP" : loops == null ? "DOWN" : "STOPPING");
        checks.put("broker", broker ? "UP" : "DOWN");
        return report(checks, running && broker);
    }

    private static Map<String, String> report(Map<String, String> checks, boolean up) {
        Map<String, String> report = new LinkedHashMap<>();
        report.put("status", up ? "UP" : "DOWN");
        report.putAll(checks);
        return report;
    }

    /** A page answering {@code report} as JSON: 200 when its status is UP, else 503. */
    static Handler page(Supplier<Map<String, String>> report) {
        return ctx -> {
            Map<String, String> body = report.get();
            ctx.status(body.get("status").equals("UP") ? 200 : 503).header("Cache-Control", "no-store").json(body);
        };
    }
}
