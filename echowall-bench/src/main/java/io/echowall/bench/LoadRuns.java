package io.echowall.bench;

import org.HdrHistogram.Histogram;

import java.util.List;

/** What echo and rate runs share: opening the connections, draining, closing and counting the losses. */
final class LoadRuns {
    /** Handshakes in progress at once while a load run opens its connections. */
    static final int OPEN_CONCURRENCY = 256;

    private LoadRuns() {
    }

    /** Fails a run whose {@code --server-pid} cannot be a process id (null: not given, fine). */
    static void requireServerPid(Long serverPid) {
        if (serverPid != null && serverPid <= 0) {
            throw new BenchException(BenchException.SETUP, "--server-pid must be a process id: " + serverPid);
        }
    }

    static void requireConnections(int connections) {
        if (connections < 1 || connections > MessageShape.MAX_CONNECTION_ID + 1) {
            throw new BenchException(BenchException.SETUP,
                    "--connections must be between 1 and " + (MessageShape.MAX_CONNECTION_ID + 1) + ": " + connections);
        }
    }

    /** Opens every connection or fails the run, closing the ones that did open. */
    static <C extends LoadConnection> List<C> openOrFail(ClientFleet fleet, List<C> connections) {
        List<C> opened = fleet.openAll(connections, OPEN_CONCURRENCY);
        if (opened.size() < connections.size()) {
            fleet.closeAll(opened);
            throw new BenchException(BenchException.RUN, "only " + opened.size() + " of " + connections.size()
                    + " connections opened; first error: " + fleet.errors().first());
        }
        return opened;
    }

    /** Every loop's latency histogram, merged. */
    static Histogram latencies(ClientFleet fleet) {
        Histogram merged = LoopStats.newLatencyHistogram();
        for (Histogram part : fleet.onEachLoop(stats -> stats.latency.copy())) {
            merged.add(part);
        }
        return merged;
    }

    /** Counts as lost every message sent whose echo never arrived. */
    static void countLosses(ClientFleet fleet, Totals totals) {
        long lost = totals.inFlight();
        fleet.errors().add(ErrorCounts.Kind.LOST, lost, lost + " messages sent got no echo by the end of the drain time");
    }

    static Json errorsJson(ErrorCounts errors) {
        Json json = new Json();
        errors.byKind().forEach((kind, count) -> json.put(kind.key, count));
        return json.put("total", errors.total()).put("first", errors.first());
    }

    static String describeErrors(ErrorCounts errors) {
        if (errors.total() == 0) {
            return "0";
        }
        StringBuilder line = new StringBuilder(Table.count(errors.total())).append("  (");
        String separator = "";
        for (var entry : errors.byKind().entrySet()) {
            if (entry.getValue() > 0) {
                line.append(separator).append(entry.getKey().key).append(' ').append(Table.count(entry.getValue()));
                separator = ", ";
            }
        }
        return line.append(")  first: ").append(errors.first()).toString();
    }
}
