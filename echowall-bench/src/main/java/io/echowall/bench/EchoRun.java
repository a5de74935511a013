package io.echowall.bench;

import java.util.ArrayList;
import java.util.List;

/** Runs {@code bench echo}: a fixed number of messages in flight per connection, every echo checked. */
final class EchoRun {
    private EchoRun() {
    }

    static EchoResult run(EchoSettings settings, Progress progress) {
        FileDescriptors.requireRoomFor(settings.connections(), "--connections");
        MessageShape shape = settings.payload().shape();
        try (ClientFleet fleet = new ClientFleet(settings.client())) {
            List<EchoConnection> connections = new ArrayList<>(settings.connections());
            for (int id = 0; id < settings.connections(); id++) {
                connections.add(new EchoConnection(id, shape, settings.inFlight()));
            }
            LoadRuns.openOrFail(fleet, connections);

            Timing timing = settings.timing();
            RunClock clock = RunClock.startingNow(timing.warmup(), timing.duration());
            for (EchoConnection connection : connections) {
                connection.eventLoop().execute(() -> connection.start(clock));
            }
            WindowCpu cpu = RunWatch.watch(fleet, clock, progress, "msg", Totals::received, settings.serverPid());
            RunWatch.waitFor(() -> fleet.totals().inFlight() == 0, timing.drainTimeout().toNanos());
            progress.done();

            fleet.closeAll(connections);
            Totals totals = fleet.totals();
            var latency = LatencySummary.of(LoadRuns.latencies(fleet));
            LoadRuns.countLosses(fleet, totals);
            double seconds = clock.measuredSeconds();
            return new EchoResult(settings, fleet.settings().transport(), totals, totals.measured() / seconds, latency,
                    fleet.errors(), GeneratorLoad.of(cpu.generatorNanos(), totals.measured(), seconds, settings.client().threads()),
                    cpu.serverMicrosPer(totals.measured()));
        }
    }
}
