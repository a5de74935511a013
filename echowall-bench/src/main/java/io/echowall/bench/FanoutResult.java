package io.echowall.bench;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What a fan-out run measured: deliveries per second (messages that reached a subscriber inside the
 * window), latency from each message's send time to each of its deliveries, errors, the generator's
 * own load and, given the server's pid, its resident memory before subscribing, once all subscribers
 * were ready, and at the end of the window (-1 when not measured). {@code planned} and
 * {@code unsent} apply to fixed-rate runs (-1 and 0 otherwise).
 */
record FanoutResult(FanoutSettings settings, Transport transport, long planned, long unsent, Totals totals,
                    double subscribeSeconds, double deliveriesPerSecond, LatencySummary latency, ErrorCounts errors,
                    GeneratorLoad generator, double serverCpuMicros, long rssBeforeKib, long rssSubscribedKib, long rssLoadedKib) {

    boolean passed() {
        return errors.total() == 0;
    }

    /** Server memory per subscriber under load, in KiB: (RSS at the end of the window − before) / subscribers. */
    double kibPerSubscriber() {
        if (rssBeforeKib < 0 || rssLoadedKib < 0) {
            return Double.NaN;
        }
        return (double) (rssLoadedKib - rssBeforeKib) / settings.subscribers();
    }

    /** Messages published per second: deliveries per second over the subscribers. */
    double messagesPerSecond() {
        return deliveriesPerSecond / settings.subscribers();
    }

    void print(PrintWriter out) {
        ClientSettings client = settings.client();
        String pacing = settings.fixedRate() ? Table.rate(settings.rate()) + " msg/s" : settings.inFlight() + " in flight each";
        Table table = new Table(String.format("fanout  %s  %s%s %s B  %d publisher%s (%s) x %s subscribers  %s (+%s warmup)  %d thread%s (%s)",
                client.target().url(), settings.protocol() == FanoutProtocol.SOCKET_IO ? "socket.io " : "",
                settings.payload().type(), Table.count(settings.payload().size()), settings.publishers(),
                settings.publishers() == 1 ? "" : "s", pacing, Table.count(settings.subscribers()),
                Table.seconds(settings.timing().durationSeconds()), Table.seconds(settings.timing().warmupSeconds()),
                client.threads(), client.threads() == 1 ? "" : "s", transport.displayName()))
                .row("deliveries/s", Table.rate(deliveriesPerSecond) + " in the window (" + Table.rate(messagesPerSecond())
                        + " messages/s x " + Table.count(settings.subscribers()) + " subscribers"
                        + (settings.fixedRate() ? "; target " + Table.rate(settings.rate()) + " messages/s" : "") + ")")
                .row("messages", Table.count(totals.sent()) + " published" + (planned >= 0 ? " of " + Table.count(planned) + " planned" : "")
                        + ", " + Table.count(totals.received()) + " delivered of " + Table.count(totals.sent() * settings.subscribers())
                        + " expected, " + Table.count(totals.measured()) + " in the window")
                .row("subscribing", Table.count(settings.subscribers()) + " ready in " + Table.seconds(subscribeSeconds))
                .row("latency us", latency.describe() + "   (publish to each delivery)");
        if (unsent > 0) {
            table.row("warning", Table.count(unsent) + " planned messages never left (socket full): the server did not keep up");
        }
        if (settings.serverPid() == null) {
            table.row("server memory", "not measured (give --server-pid)");
        } else {
            table.row("server RSS KiB", Table.count(rssBeforeKib) + " before, " + Table.count(rssSubscribedKib) + " subscribed, "
                            + Table.count(rssLoadedKib) + " at the end of the window")
                    .row("per subscriber", String.format(Locale.ROOT, "%.2f KiB", kibPerSubscriber()) + "   ((end of window - before) / subscribers)");
        }
        table.row("errors", LoadRuns.describeErrors(errors))
                .row("server CPU", ServerCpu.describe(serverCpuMicros, "delivery"))
                .row("generator", generator.describe("delivery"))
                .row("verdict", passed() ? "PASS" : "FAIL")
                .print(out);
        out.println("RESULT " + toJson());
        out.flush();
    }

    Json toJson() {
        ClientSettings client = settings.client();
        return new Json()
                .put("mode", "fanout")
                .put("url", client.target().url())
                .put("protocol", settings.protocol().displayName())
                .put("transport", transport.displayName())
                .put("threads", client.threads())
                .put("subscribers", settings.subscribers())
                .put("publishers", settings.publishers())
                .put("rate", settings.fixedRate() ? settings.rate() : null)
                .put("in_flight", settings.fixedRate() ? null : settings.inFlight())
                .put("size", settings.payload().size())
                .put("type", settings.payload().type())
                .put("warmup_s", settings.timing().warmupSeconds())
                .put("duration_s", settings.timing().durationSeconds())
                .put("deliveries_per_s", deliveriesPerSecond)
                .put("messages_per_s", messagesPerSecond())
                .put("published", totals.sent())
                .put("planned", planned >= 0 ? planned : null)
                .put("unsent", unsent)
                .put("expected", totals.sent() * settings.subscribers())
                .put("delivered", totals.received())
                .put("measured", totals.measured())
                .put("subscribe_s", subscribeSeconds)
                .put("latency_us", latency.toJson())
                .put("server_pid", settings.serverPid())
                .put("rss_before_kib", rssBeforeKib)
                .put("rss_subscribed_kib", rssSubscribedKib)
                .put("rss_loaded_kib", rssLoadedKib)
                .put("kib_per_subscriber", kibPerSubscriber())
                .put("errors", LoadRuns.errorsJson(errors))
                .put("server_cpu_us", serverCpuMicros)
                .put("generator", generator.toJson())
                .put("passed", passed());
    }
}
