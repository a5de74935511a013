package io.echowall.bench;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What an idle run measured: how many connections opened and were still open at the end of the
 * hold, and, given the server's pid, its resident memory (VmRSS, KiB) before, once all were open,
 * and after the settle time (-1 when not measured).
 */
record IdleResult(IdleSettings settings, Transport transport, int opened, int held, double openSeconds,
                  long rssBeforeKib, long rssOpenKib, long rssSettledKib, ErrorCounts errors) {

    boolean passed() {
        return errors.total() == 0 && held == settings.connections();
    }

    /** Server memory per held connection after settling, in KiB; NaN without a server pid or connections. */
    double kibPerConnection() {
        if (rssBeforeKib < 0 || rssSettledKib < 0 || opened == 0) {
            return Double.NaN;
        }
        return (double) (rssSettledKib - rssBeforeKib) / opened;
    }

    void print(PrintWriter out) {
        ClientSettings client = settings.client();
        Table table = new Table(String.format("idle  %s  %s connections over %s  hold %s  %d thread%s (%s)",
                client.target().url(), Table.count(settings.connections()),
                client.sources().count() == 0 ? "the default source address" : client.sources().count() + " source addresses",
                Table.seconds(settings.hold().toNanos() / 1e9), client.threads(), client.threads() == 1 ? "" : "s",
                transport.displayName()))
                .row("connections", Table.count(opened) + " opened in " + Table.seconds(openSeconds) + ", "
                        + Table.count(held) + " still open at the end of the hold");
        if (settings.serverPid() == null) {
            table.row("server memory", "not measured (give --server-pid)");
        } else {
            table.row("server RSS KiB", Table.count(rssBeforeKib) + " before, " + Table.count(rssOpenKib) + " all open, "
                    + Table.count(rssSettledKib) + " after " + Table.seconds(settings.settle().toNanos() / 1e9) + " settle")
                    .row("per connection", String.format(Locale.ROOT, "%.2f KiB", kibPerConnection())
                            + "   ((settled - before) / opened)");
        }
        table.row("errors", LoadRuns.describeErrors(errors))
                .row("verdict", passed() ? "PASS" : "FAIL")
                .print(out);
        out.println("RESULT " + toJson());
        out.flush();
    }

    Json toJson() {
        ClientSettings client = settings.client();
        return new Json()
                .put("mode", "idle")
                .put("url", client.target().url())
                .put("transport", transport.displayName())
                .put("threads", client.threads())
                .put("connections", settings.connections())
                .put("source_addresses", client.sources().count())
                .put("hold_s", settings.hold().toNanos() / 1e9)
                .put("settle_s", settings.settle().toNanos() / 1e9)
                .put("server_pid", settings.serverPid())
                .put("opened", opened)
                .put("held", held)
                .put("open_s", openSeconds)
                .put("rss_before_kib", rssBeforeKib)
                .put("rss_open_kib", rssOpenKib)
                .put("rss_settled_kib", rssSettledKib)
                .put("kib_per_connection", kibPerConnection())
                .put("errors", LoadRuns.errorsJson(errors))
                .put("passed", passed());
    }
}
