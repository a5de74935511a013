package io.echowall.bench;

import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs {@code bench rate}: messages sent on a fixed schedule, latency measured from when each was due. */
final class RateRun {
    private RateRun() {
    }

    static RateResult run(RateSettings settings, Progress progress) {
        FileDescriptors.requireRoomFor(settings.connections(), "--connections");
        MessageShape shape = settings.payload().shape();
        try (ClientFleet fleet = new ClientFleet(settings.client())) {
            List<RateConnection> connections = new ArrayList<>(settings.connections());
            for (int id = 0; id < settings.connections(); id++) {
                connections.add(new RateConnection(id, shape));
            }
            LoadRuns.openOrFail(fleet, connections);

            Map<EventLoop, List<RateConnection>> byLoop = new LinkedHashMap<>();
            for (RateConnection connection : connections) {
                byLoop.computeIfAbsent(connection.eventLoop(), loop -> new ArrayList<>()).add(connection);
            }
            Timing timing = settings.timing();
            RunClock clock = RunClock.startingNow(timing.warmup(), timing.duration());
            double totalSeconds = timing.warmupSeconds() + timing.durationSeconds();
            List<RateSchedule> schedules = new ArrayList<>();
            long planned = 0;
            for (var loopConnections : byLoop.entrySet()) {
                // Each loop paces its own connections at their share of the total rate.
                double share = settings.rate() * loopConnections.getValue().size() / settings.connections();
                long loopPlanned = byLoop.size() == 1 ? settings.planned() : (long) Math.floor(share * totalSeconds);
                RateSchedule schedule = new RateSchedule(loopConnections.getKey(), loopConnections.getValue(), clock, share, loopPlanned);
                schedules.add(schedule);
                planned += loopPlanned;
                loopConnections.getKey().execute(schedule);
            }
            long cpuNanos = RunWatch.watch(fleet, clock, progress, "msg", Totals::received);
            RunWatch.waitFor(() -> backlog(schedules) == 0 && fleet.totals().inFlight() == 0, timing.drainTimeout().toNanos());
            progress.done();

            long unsent = backlog(schedules);
            fleet.closeAll(connections);
            Totals totals = fleet.totals();
            var latency = LatencySummary.of(LoadRuns.latencies(fleet));
            LoadRuns.countLosses(fleet, totals);
            double seconds = clock.measuredSeconds();
            return new RateResult(settings, fleet.settings().transport(), planned, unsent, totals,
                    totals.measured() / seconds, latency, fleet.errors(),
                    GeneratorLoad.of(cpuNanos, totals.measured(), seconds, settings.client().threads()));
        }
    }

    /** Planned messages not sent yet, over all loops (each asked on its own loop). */
    private static long backlog(List<RateSchedule> schedules) {
        long backlog = 0;
        for (RateSchedule schedule : schedules) {
            try {
                backlog += schedule.loop().submit(schedule::backlog).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException(BenchException.RUN, "interrupted");
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("an event loop did not answer", e);
            }
        }
        return backlog;
    }
}
