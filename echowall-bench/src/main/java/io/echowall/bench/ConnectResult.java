package io.echowall.bench;

import java.io.PrintWriter;

/** What a connect run measured: completed handshakes per second, handshake latency, errors and the generator's load. */
record ConnectResult(ConnectSettings settings, Transport transport, long attempts, Totals totals,
                     double connectionsPerSecond, LatencySummary latency, ErrorCounts errors, GeneratorLoad generator) {

    boolean passed() {
        return errors.total() == 0;
    }

    void print(PrintWriter out) {
        ClientSettings client = settings.client();
        new Table(String.format("connect  %s  %d at a time  %s (+%s warmup)  %d thread%s (%s)",
                client.target().url(), settings.concurrency(), Table.seconds(settings.duration().toNanos() / 1e9),
                Table.seconds(settings.warmup().toNanos() / 1e9), client.threads(), client.threads() == 1 ? "" : "s",
                transport.displayName()))
                .row("connections/s", Table.rate(connectionsPerSecond) + " handshakes completed in the window")
                .row("connections", Table.count(attempts) + " attempted, " + Table.count(totals.handshakes())
                        + " handshakes, " + Table.count(totals.cleanCloses()) + " closed cleanly")
                .row("handshake us", latency.describe() + "   (TCP connect to 101 response)")
                .row("errors", LoadRuns.describeErrors(errors))
                .row("generator", generator.describe("connection"))
                .row("verdict", passed() ? "PASS" : "FAIL")
                .print(out);
        out.println("RESULT " + toJson());
        out.flush();
    }

    Json toJson() {
        ClientSettings client = settings.client();
        return new Json()
                .put("mode", "connect")
                .put("url", client.target().url())
                .put("transport", transport.displayName())
                .put("threads", client.threads())
                .put("concurrency", settings.concurrency())
                .put("warmup_s", settings.warmup().toNanos() / 1e9)
                .put("duration_s", settings.duration().toNanos() / 1e9)
                .put("connections_per_s", connectionsPerSecond)
                .put("attempts", attempts)
                .put("handshakes", totals.handshakes())
                .put("measured", totals.measured())
                .put("clean_closes", totals.cleanCloses())
                .put("handshake_latency_us", latency.toJson())
                .put("errors", LoadRuns.errorsJson(errors))
                .put("generator", generator.toJson())
                .put("passed", passed());
    }
}
