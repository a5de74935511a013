package io.echowall.bench;

import java.io.PrintWriter;

/** What an echo run measured: throughput, round-trip latency, errors and the generator's own load. */
record EchoResult(EchoSettings settings, Transport transport, Totals totals, double messagesPerSecond,
                  LatencySummary latency, ErrorCounts errors, GeneratorLoad generator,
                  double serverCpuMicros) {

    boolean passed() {
        return errors.total() == 0;
    }

    void print(PrintWriter out) {
        ClientSettings client = settings.client();
        new Table(String.format("echo  %s  %s %s B  %d connections x %d in flight  %s (+%s warmup)  %d thread%s (%s)",
                client.target().url(), settings.payload().type(), Table.count(settings.payload().size()),
                settings.connections(), settings.inFlight(), Table.seconds(settings.timing().durationSeconds()),
                Table.seconds(settings.timing().warmupSeconds()), client.threads(), client.threads() == 1 ? "" : "s",
                transport.displayName()))
                .row("messages/s", Table.rate(messagesPerSecond))
                .row("messages", Table.count(totals.sent()) + " sent, " + Table.count(totals.received())
                        + " echoed, " + Table.count(totals.measured()) + " in the window")
                .row("round trip us", latency.describe())
                .row("errors", LoadRuns.describeErrors(errors))
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
                .put("mode", "echo")
                .put("url", client.target().url())
                .put("transport", transport.displayName())
                .put("threads", client.threads())
                .put("connections", settings.connections())
                .put("in_flight", settings.inFlight())
                .put("size", settings.payload().size())
                .put("type", settings.payload().type())
                .put("warmup_s", settings.timing().warmupSeconds())
                .put("duration_s", settings.timing().durationSeconds())
                .put("messages_per_s", messagesPerSecond)
                .put("sent", totals.sent())
                .put("received", totals.received())
                .put("measured", totals.measured())
                .put("latency_us", latency.toJson())
                .put("errors", LoadRuns.errorsJson(errors))
                .put("server_cpu_us", serverCpuMicros)
                .put("generator", generator.toJson())
                .put("passed", passed());
    }
}
