package io.echowall.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs {@code bench connect}: keeps {@code concurrency} connection attempts going, each a TCP
 * connect, an opening handshake and a clean closing handshake, and starts a new one as each ends.
 */
final class ConnectRun {
    /** After this many failed attempts no new ones start: the server is down or refusing. */
    static final long MAX_FAILURES = 100;

    private final ClientFleet fleet;
    private final RunClock clock;
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicInteger inProgress = new AtomicInteger();

    private ConnectRun(ClientFleet fleet, RunClock clock) {
        this.fleet = fleet;
        this.clock = clock;
    }

    static ConnectResult run(ConnectSettings settings, Progress progress) {
        FileDescriptors.requireRoomFor(settings.concurrency(), "--concurrency");
        try (ClientFleet fleet = new ClientFleet(settings.client())) {
            ConnectRun run = new ConnectRun(fleet, RunClock.startingNow(settings.warmup(), settings.duration()));
            for (int i = 0; i < settings.concurrency(); i++) {
                run.startAttempt();
            }
            long cpuNanos = RunWatch.watch(fleet, run.clock, progress, "conn", Totals::handshakes, null).generatorNanos();
            // Attempts started before the end finish; each is bounded by the connect and close timeouts.
            long bound = settings.client().connectTimeout().multipliedBy(2).plus(settings.client().closeTimeout()).plusSeconds(1).toNanos();
            RunWatch.waitFor(() -> run.inProgress.get() == 0, bound);
            progress.done();

            Totals totals = fleet.totals();
            var latency = LatencySummary.of(LoadRuns.latencies(fleet));
            double seconds = run.clock.measuredSeconds();
            return new ConnectResult(settings, fleet.settings().transport(), run.attempts.get(), totals,
                    totals.measured() / seconds, latency, fleet.errors(),
                    GeneratorLoad.of(cpuNanos, totals.measured(), seconds, settings.client().threads()));
        }
    }

    private void startAttempt() {
        if (System.nanoTime() >= clock.sendUntil() || fleet.errors().count(ErrorCounts.Kind.CONNECT_FAILED) >= MAX_FAILURES) {
            return;
        }
        inProgress.incrementAndGet();
        WebSocketConnection probe = new WebSocketConnection() {
            @Override
            void onOpen() {
                close();
            }
        };
        fleet.open(attempts.getAndIncrement(), probe, clock).whenComplete((opened, failure) -> {
            if (failure != null) {
                attemptEnded();
            } else {
                opened.closeFuture().addListener(closed -> attemptEnded());
            }
        });
    }

    private void attemptEnded() {
        // Start the replacement first, so the count never reads zero while one is on its way.
        startAttempt();
        inProgress.decrementAndGet();
    }
}
