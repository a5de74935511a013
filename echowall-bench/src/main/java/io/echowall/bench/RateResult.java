package io.echowall.bench;

import java.io.PrintWriter;

/**
 * What a rate run measured: the rate the server sustained, latency from each message's due time,
 * errors and the generator's own load. {@code unsent} counts planned messages that never left
 * because the socket stayed full: then the server could not take the rate and the percentiles
 * leave those messages out.
 */
record RateResult(RateSettings settings, Transport transport, long planned, long unsent, Totals totals,
                  double achievedPerSecond, LatencySummary latency, ErrorCounts errors, GeneratorLoad generator,
                  double serverCpuMicros) {

    boolean passed() {
        return errors.total() == 0;
    }

    void print(PrintWriter out) {
        ClientSettings client = settings.client();
        Table table = new Table(String.format("rate  %s  %s %s B  %s msg/s over %d connections  %s (+%s warmup)  %d thread%s (%s)",
                client.target().url(), settings.payload().type(), Table.count(settings.payload().size()),
                Table.rate(settings.rate()), settings.connections(), Table.seconds(settings.timing().durationSeconds()),
                Table.seconds(settings.timing().warmupSeconds()), client.threads(), client.threads() == 1 ? "" : "s",
                transport.displayName()))
                .row("achieved msg/s", Table.rate(achievedPerSecond) + " echoed in the window (target " + Table.rate(settings.rate()) + ")")
                .row("messages", Table.count(planned) + " planned, " + Table.count(totals.sent()) + " sent, "
                        + Table.count(totals.received()) + " echoed, " + Table.count(totals.measured()) + " in the window")
                .row("latency us", latency.describe() + "   (from the intended send time)");
        if (unsent > 0) {
            table.row("warning", Table.count(unsent) + " planned messages never left (socket full): the server did not keep up");
        }
        table.row("errors", LoadRuns.describeErrors(errors))
                .row("server CPU", ServerCpu.describe(serverCpuMicros, "message"))
                .row("generator", generator.describe("message"))
                .row("verdict", passed() ? "PASS" : "FAIL")
                .print(out);
        out.println("RESULT " + toJson());
        out.flush();
    }

    Json toJson() {
        ClientSettings client = settings.client();
        return new Json()
                .put("mode", "rate")
                .put("url", client.target().url())
                .put("transport", transport.displayName())
                .put("threads", client.threads())
                .put("connections", settings.connections())
                .put("rate", settings.rate())
                .put("size", settings.payload().size())
                .put("type", settings.payload().type())
                .put("warmup_s", settings.timing().warmupSeconds())
                .put("duration_s", settings.timing().durationSeconds())
                .put("achieved_per_s", achievedPerSecond)
                .put("planned", planned)
                .put("sent", totals.sent())
                .put("unsent", unsent)
                .put("received", totals.received())
                .put("measured", totals.measured())
                .put("latency_us", latency.toJson())
                .put("errors", LoadRuns.errorsJson(errors))
                .put("server_cpu_us", serverCpuMicros)
                .put("generator", generator.toJson())
                .put("passed", passed());
    }
}
