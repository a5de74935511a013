package io.echowall.bench;

import java.util.ArrayList;
import java.util.List;

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

            Timing timing = settings.timing();
            RunClock clock = RunClock.startingNow(timing.warmup(), timing.duration());
            List<RateSchedule> schedules = RateSchedule.startAll(connections, clock, settings.rate(), settings.planned());
            long planned = schedules.stream().mapToLong(RateSchedule::planned).sum();
            WindowCpu cpu = RunWatch.watch(fleet, clock, progress, "msg", Totals::received, settings.serverPid());
            RunWatch.waitFor(() -> RateSchedule.totalBacklog(schedules) == 0 && fleet.totals().inFlight() == 0, timing.drainTimeout().toNanos());
            progress.done();

            long unsent = RateSchedule.totalBacklog(schedules);
            fleet.closeAll(connections);
            Totals totals = fleet.totals();
            var latency = LatencySummary.of(LoadRuns.latencies(fleet));
            LoadRuns.countLosses(fleet, totals);
            double seconds = clock.measuredSeconds();
            return new RateResult(settings, fleet.settings().transport(), planned, unsent, totals,
                    totals.measured() / seconds, latency, fleet.errors(),
                    GeneratorLoad.of(cpu.generatorNanos(), totals.measured(), seconds, settings.client().threads()),
                    cpu.serverMicrosPer(totals.measured()));
        }
    }
}
