#!/usr/bin/env python3
"""Writes docs/results/benchmarks.md and its chart from one run of echowall-bench/run-benchmarks.

    benchmarks_report.py RUN_DIR --markdown FILE.md --chart FILE.svg

RUN_DIR holds results.jsonl (one line per generator run: round, server, scenario, exit status and
the generator's RESULT object), machine.txt, versions.txt and settings.txt ("key: value" lines).
Every number in the report comes from those files. Standard library only.
"""
import argparse
import json
import math
import os
import statistics
from html import escape

SERVERS = {  # key: (name in tables, description)
    "echowall": ("Echowall", ""),
    "netty": ("raw Netty", "the ceiling: Netty's own WebSocket handlers, one flush per read burst"),
    "echowall-event-loop": ("Echowall event-loop", "event style (`WebSocketListener`), callbacks on the event loop: `--style event-loop`"),
    "echowall-listener": ("Echowall listener", "event style (`WebSocketListener`), callbacks on a virtual thread per connection: `--style listener`"),
    "echowall-blocking": ("Echowall blocking", "blocking style (`for (var message : ws)`), a virtual thread per connection: `--style blocking`"),
    "vertx": ("Vert.x", ""), "helidon": ("Helidon", ""), "jetty": ("Jetty", ""), "javalin": ("Javalin", ""),
    "node-ws": ("Node ws", ""), "uwsgi": ("uWSGI", ""), "gevent": ("gevent-websocket", ""), "tornado": ("Tornado", ""),
    "uws": ("uWebSockets.js", ""), "socketio": ("Socket.IO", ""),
    "reflector": ("bench reflect", "the generator's own minimal fan-out: its ceiling, not a server to compare"),
    "reflector-drop": ("bench reflect --fault drop", "loses message 20, on purpose"),
    "reflector-reorder": ("bench reflect --fault reorder", "delivers message 20 after 21, on purpose"),
    "reflector-duplicate": ("bench reflect --fault duplicate", "delivers message 20 twice, on purpose"),
}
EVENT = ["echowall-event-loop", "echowall-listener"]
BLOCKING = ["echowall-blocking"]
ECHOWALL = EVENT + BLOCKING
HEADLINE = "echo-64b-100x10"
CPU_COLUMNS = [  # scenario, column title
    ("cpu:" + HEADLINE, "64 B, 100 × 10"),
    ("cpu:echo-16k-10x4", "16 KiB, 10 × 4"),
    ("cpu:echo-64b-100x1", "64 B, 100 × 1"),
    ("cpu:rate", "fixed rate"),
]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ECHO = [  # scenario, column title
    ("echo-64b-1x1", "64 B, 1 × 1"),
    ("echo-64b-100x1", "64 B, 100 × 1"),
    (HEADLINE, "64 B, 100 × 10"),
    ("echo-16k-10x4", "16 KiB, 10 × 4"),
]


def key_values(path):
    values = {}
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            key, sep, value = line.rstrip("\n").partition(": ")
            if sep:
                values[key] = value
    return values


def fmt(x, digits=0):
    return "—" if x is None else f"{x:,.{digits}f}"


def ratio_text(x):
    return "—" if x is None else f"{x:.2f}×"


class Run:
    """The results of one run, with the median value per server and scenario over its rounds."""

    def __init__(self, directory):
        self.machine = key_values(os.path.join(directory, "machine.txt"))
        self.versions = key_values(os.path.join(directory, "versions.txt"))
        self.settings = key_values(os.path.join(directory, "settings.txt"))
        self.records = [json.loads(line) for line in open(os.path.join(directory, "results.jsonl"), encoding="utf-8") if line.strip()]
        self.servers = self.settings.get("servers", "").split() or sorted({r["server"] for r in self.records})
        self.parts = self.settings.get("parts", "echo idle fanout").split()
        self.idle_counts = [int(n) for n in self.settings.get("idle_counts", "").split()] if "idle" in self.parts else []
        self.fanout_counts = [int(n) for n in self.settings.get("fanout_counts", "").split()] if "fanout" in self.parts else []
        self.fanout_servers = self.settings.get("fanout_servers", "").split()
        self.notes = []  # footnotes: texts, numbered in order of first use

    def runs(self, server, scenario):
        scenario = scenario.removeprefix("cpu:")
        return [r for r in self.records if r["server"] == server and r["scenario"] == scenario]

    @staticmethod
    def metric(scenario, result):
        if scenario.startswith("cpu:"):  # the server's CPU per message in that scenario
            return result.get("server_cpu_us")
        if scenario.startswith("echo-"):
            return result.get("messages_per_s")
        if scenario == "rate":
            return (result.get("latency_us") or {}).get("p99")
        if scenario == "connect":
            return result.get("connections_per_s")
        if scenario.startswith("idle-"):
            return result.get("kib_per_connection")
        if scenario.startswith("fanout-"):
            return result.get("deliveries_per_s")
        return None

    @staticmethod
    def valid(scenario, result):
        if not result:
            return False
        if scenario.startswith("cpu:"):
            return bool(result.get("passed")) and result.get("server_cpu_us") is not None
        if scenario.startswith("idle-"):  # memory counts when every connection was held; a slow close does not matter
            return result.get("held") == result.get("connections") and result.get("kib_per_connection") is not None
        return bool(result.get("passed"))

    def values(self, server, scenario):
        """The metric of every valid round, in round order."""
        return [self.metric(scenario, r["result"]) for r in self.runs(server, scenario) if self.valid(scenario, r["result"])]

    def median_run(self, server, scenario):
        """The valid round whose metric is the median (the lower middle one of an even count), or None."""
        good = sorted((r for r in self.runs(server, scenario) if self.valid(scenario, r["result"])),
                      key=lambda r: self.metric(scenario, r["result"]))
        return good[(len(good) - 1) // 2] if good else None

    def median(self, server, scenario):
        values = self.values(server, scenario)
        return statistics.median(values) if values else None

    def with_spread(self, server, scenario, digits=0):
        """The median as text, with min–max when more than one round counted."""
        values = self.values(server, scenario)
        if not values:
            return ""
        text = fmt(statistics.median(values), digits)
        return text if len(values) == 1 else f"{text} ({fmt(min(values), digits)}–{fmt(max(values), digits)})"

    def note(self, text):
        if text not in self.notes:
            self.notes.append(text)
        return f"[{self.notes.index(text) + 1}]"

    def cell(self, server, scenario, value_text):
        """The value, or why there is none (as a numbered note)."""
        if self.median_run(server, scenario) is not None:
            return value_text
        runs = self.runs(server, scenario)
        if not runs:
            return "—"
        run = runs[-1]
        if run["status"] == -1:
            return "not run " + self.note(run["message"][:1].upper() + run["message"][1:])
        result = run.get("result") or {}
        reason = (result.get("errors") or {}).get("first") or run.get("message") or f"exit status {run['status']}"
        if "load generator threw" in run.get("message", ""):
            reason = f"{run['message']} ({reason})"
        if result.get("mode") == "idle":
            reason = f"{result.get('held')} of {result.get('connections')} connections held; {reason}"
            if server in ("jetty", "javalin"):
                reason += " (Jetty closes connections idle for 30 s)"
        return "failed " + self.note(f"{name(server)}, {scenario}: {reason}")


def failures(run):
    """Every run that found an error, including rounds another round's result superseded."""
    lines = []
    for r in run.records:
        result = r.get("result") or {}
        if r["status"] in (0, -1) and result.get("passed", True):
            continue
        counts = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in (result.get("errors") or {}).items()
                           if k not in ("total", "first") and v)
        text = f"- round {r['round']}, {name(r['server'])}, {r['scenario']}: {counts or r.get('message') or 'exit status ' + str(r['status'])}"
        first = (result.get("errors") or {}).get("first")
        if first:
            text += f" (first: {first})"
        if "load generator threw" in r.get("message", ""):
            text += f"; {r['message']}"
        if result.get("mode") == "idle" and run.valid(r["scenario"], result):
            text += "; the memory figure counts: every connection was held"
        lines.append(escape(text, quote=False))
    return lines


def name(server):
    return SERVERS.get(server, (server, ""))[0]


def ratio(run, server, scenario, base_server="netty"):
    value, base = run.median(server, scenario), run.median(base_server, scenario) if base_server else None
    return None if value is None or not base else value / base


def lower_is_better(scenario):
    return scenario == "rate" or scenario.startswith("idle-") or scenario.startswith("cpu:")


def best_peer(run, scenario):
    """The peer (not Echowall) with the best median in the scenario, or None."""
    peers = [s for s in run.servers if is_peer(s) and run.median(s, scenario)]
    pick = min if lower_is_better(scenario) else max
    return pick(peers, key=lambda s: run.median(s, scenario), default=None)


def absolute_tables(run):
    rate = run.settings.get("rate") or "?"
    idle = run.idle_counts
    lines = ["### Throughput (messages or connections per second, median of the rounds, min–max)", "",
             "| server | " + " | ".join(title for _, title in ECHO) + " | connects/s |",
             "|---" + "|---:" * (len(ECHO) + 1) + "|"]
    for s in run.servers:
        cells = [run.cell(s, sc, run.with_spread(s, sc)) for sc, _ in ECHO]
        cells.append(run.cell(s, "connect", run.with_spread(s, "connect")))
        lines.append(f"| {name(s)} | " + " | ".join(cells) + " |")
    lines += ["", "### Server CPU per message (µs, user + system, median of the rounds, min–max; lower is better)", "",
              "Read from the server's /proc over the measured window: steadier than messages per second on a shared "
              "machine, since it does not count time the server waited.", "",
              "| server | " + " | ".join(title for _, title in CPU_COLUMNS) + " |", "|---" + "|---:" * len(CPU_COLUMNS) + "|"]
    for s in run.servers:
        lines.append(f"| {name(s)} | " + " | ".join(run.with_spread(s, sc, 2) or "—" for sc, _ in CPU_COLUMNS) + " |")
    lines += ["", f"### Latency and memory (lower is better; the fixed rate: the median round by p99)", "",
              f"| server | 64 B 1 × 1 round trip p50 µs | fixed rate {fmt(int(rate)) if rate.isdigit() else rate} msg/s: p50 / p99 µs | achieved msg/s | "
              + " | ".join(f"idle KiB per connection at {n:,}" for n in idle) + " |",
              "|---|---:|---:|---:|" + "---:|" * len(idle)]
    for s in run.servers:
        one = run.median_run(s, "echo-64b-1x1")
        p50 = fmt(one["result"]["latency_us"]["p50"], 1) if one else run.cell(s, "echo-64b-1x1", "")
        r = run.median_run(s, "rate")
        if r:
            lat = r["result"]["latency_us"]
            achieved = r["result"].get("achieved_per_s") or 0
            behind = " " + run.note("Fell behind: echoed fewer than 95% of the fixed rate inside the window.") \
                if achieved < 0.95 * r["result"]["rate"] else ""
            rate_cells = [f"{fmt(lat['p50'])} / {fmt(lat['p99'])}", fmt(achieved) + behind]
        else:
            rate_cells = [run.cell(s, "rate", ""), "—"]
        idle_cells = [run.cell(s, f"idle-{n}", fmt(run.median(s, f"idle-{n}"), 2)) for n in idle]
        lines.append(f"| {name(s)} | {p50} | " + " | ".join(rate_cells + idle_cells) + " |")
    return lines


def ratio_table(run, against_best_peer):
    """Medians over medians: against the best peer of each column, or against raw Netty."""
    idle = run.idle_counts
    columns = [(sc, title) for sc, title in ECHO] + [("cpu:" + HEADLINE, "CPU/msg 100 × 10"), ("connect", "connects/s"),
                                                     ("rate", "p99 at the fixed rate")] \
        + [(f"idle-{n}", f"idle KiB/conn at {n:,}") for n in idle]
    bases = {sc: best_peer(run, sc) if against_best_peer else "netty" for sc, _ in columns}
    titles = [title + (f" (× {name(bases[sc])})" if against_best_peer and bases[sc] else "") for sc, title in columns]
    lines = ["| server | " + " | ".join(titles) + " |",
             "|---" + "|---:" * len(columns) + "|"]
    for s in run.servers:
        lines.append(f"| {name(s)} | " + " | ".join(ratio_text(ratio(run, s, sc, bases[sc])) for sc, _ in columns) + " |")
    return lines


def rounds_table(run):
    rounds = int(run.settings.get("rounds", "1"))
    lines = ["| server | " + " | ".join(f"round {i}" for i in range(1, rounds + 1)) + " | spread |",
             "|---" + "|---:" * (rounds + 1) + "|"]
    for s in run.servers:
        values = []
        for i in range(1, rounds + 1):
            rs = [r for r in run.runs(s, HEADLINE) if r["round"] == i and run.valid(HEADLINE, r["result"])]
            values.append(rs[0]["result"]["messages_per_s"] if rs else None)
        seen = [v for v in values if v]
        spread = f"{(max(seen) - min(seen)) / statistics.median(seen):.0%}" if len(seen) > 1 else "—"
        lines.append(f"| {name(s)} | " + " | ".join(fmt(v) for v in values) + f" | {spread} |")
    return lines


def targets(run):
    """(target, server, measured ratio text, verdict) rows: the performance issue's targets, on medians."""
    largest = max(run.idle_counts) if run.idle_counts else None
    checks = []  # (text, server, other, scenario, bound, at_least)
    for s in ECHOWALL:
        checks.append(("echo 100×10×64 B ≥ 1.0 × Vert.x", s, "vertx", HEADLINE, 1.0, True))
        checks.append(("echo 10×4×16 KiB ≥ 1.0 × Vert.x", s, "vertx", "echo-16k-10x4", 1.0, True))
        checks.append(("p99 at the fixed rate ≤ 1.2 × Vert.x", s, "vertx", "rate", 1.2, False))
    checks.append(("echo 100×10×64 B ≥ 0.95 × the event-loop style", "echowall-blocking", "echowall-event-loop", HEADLINE, 0.95, True))
    checks.append(("server CPU per echo, 100×10×64 B, ≤ 1.1 × uWebSockets.js", "echowall-event-loop", "uws", "cpu:" + HEADLINE, 1.1, False))
    checks.append(("echo 10×4×16 KiB ≥ 0.8 × uWebSockets.js", "echowall-event-loop", "uws", "echo-16k-10x4", 0.8, True))
    if largest:
        at = f"at {largest:,}"
        checks.append((f"idle memory per connection {at} ≤ 1.0 × raw Netty", "echowall-event-loop", "netty", f"idle-{largest}", 1.0, False))
        checks.append((f"idle memory per connection {at} ≤ 1.5 × raw Netty", "echowall-blocking", "netty", f"idle-{largest}", 1.5, False))
    rows = []
    for s in ECHOWALL:  # repeatability: fresh starts of one style within 10 % of each other, as raw Netty is
        seen = run.values(s, HEADLINE) if s in run.servers else []
        if len(seen) > 1:
            spread = (max(seen) - min(seen)) / statistics.median(seen)
            rows.append(("fresh starts within 10 % (100×10×64 B, (max − min) / median)", name(s), f"{spread:.0%}",
                         "met" if spread <= 0.10 else f"**missed**: {fmt(min(seen))}–{fmt(max(seen))} msg/s"))
    for text, s, other, scenario, bound, at_least in checks:
        if s not in run.servers or other not in run.servers:
            continue
        value, base = run.median(s, scenario), run.median(other, scenario)
        if value is None or not base:
            rows.append((text, name(s), "—", "not measured"))
            continue
        r = value / base
        if (r >= bound) if at_least else (r <= bound):
            verdict = "met"
        elif at_least:
            verdict = f"**missed by {(bound - r) / bound:.0%}**: needs {fmt(bound * base)} msg/s, {fmt(bound * base - value)} more"
        else:
            unit, digits = {"rate": ("µs", 0), "cpu": ("µs per message", 2)}.get(scenario.split(":")[0], ("KiB", 2))
            verdict = f"**missed by {(r - bound) / bound:.0%}**: limit {fmt(bound * base, digits)} {unit}, measured {fmt(value, digits)} {unit}"
        rows.append((text, name(s), f"{r:.2f}×", verdict))
    return rows


def generator_notes(run):
    lines = []
    for scenario, what in [(HEADLINE, "64 B, 100 × 10"), ("echo-16k-10x4", "16 KiB, 10 × 4")]:
        fastest = max((s for s in run.servers if run.median(s, scenario)), key=lambda s: run.median(s, scenario), default=None)
        if not fastest:
            continue
        g = run.median_run(fastest, scenario)["result"]["generator"]
        ceiling = 1e6 / g["cpu_us_per_unit"] if g.get("cpu_us_per_unit") else None
        lines.append(f"- **{what}**: the fastest, {name(fastest)} at {fmt(run.median(fastest, scenario))} msg/s, kept the generator "
                     f"{g['busy']:.0%} busy at {g['cpu_us_per_unit']:.2f} µs of its CPU per message: by that cost its one core "
                     f"tops out near {fmt(ceiling)} msg/s{' (saturated: read this number as the generator’s)' if g.get('saturated') else ''}.")
    r = run.median_run("netty", "rate")
    if r:
        g, lat = r["result"]["generator"], r["result"]["latency_us"]
        lines.append(f"- **fixed rate**: against raw Netty the generator was {g['busy']:.0%} busy ({g['cpu_us_per_unit']:.2f} µs per message); "
                     "a rate mode message costs it several times an echo-mode one (a write and a read each), and docs/reference/bench.md puts "
                     "its one-core limit near 200,000 msg/s on schedule." + (" **Saturated here: the latencies include the generator’s own lag.**" if g.get("saturated") or g["busy"] > 0.9 else ""))
        if r["result"]["achieved_per_s"] < 0.95 * r["result"]["rate"] or lat["p99"] > 50_000:
            lines.append(f"- **Raw Netty itself did not hold the fixed rate comfortably** (p99 {fmt(lat['p99'])} µs, "
                         f"{fmt(r['result']['achieved_per_s'])} msg/s achieved): at this rate the machine, not the server, "
                         "sets the latency, and the p99 ratios say little.")
    return lines


# --- fan-out: medians over the rounds, with their spread ------------------------------------------

def is_peer(server):
    """A server Echowall is compared with: not Echowall itself, nor the generator's reflector."""
    return not server.startswith("echowall-") and not server.startswith("reflector")


def fanout_summary(run, server, count, scenario=None):
    """Medians (and the spread of deliveries/s) over the rounds that passed, or None if none did."""
    scenario = scenario or f"fanout-{count}"
    passed = [r["result"] for r in run.runs(server, scenario) if r["result"] and r["result"].get("passed")]
    if not passed:
        return None
    med = lambda values: statistics.median(values) if values else None
    rate = [r["deliveries_per_s"] for r in passed]
    lat = lambda key: med([r["latency_us"][key] for r in passed if r["latency_us"].get(key) is not None])
    kib = [r["kib_per_subscriber"] for r in passed if r.get("kib_per_subscriber") is not None]
    generators = [r["generator"] for r in passed]
    return {
        "rounds": len(passed), "of": len(run.runs(server, scenario)),
        "unsent": max(r.get("unsent") or 0 for r in passed), "rate_msg": passed[0].get("rate"),
        "rate": med(rate), "min": min(rate), "max": max(rate),
        "p50": lat("p50"), "p99": lat("p99"), "max_latency": lat("max"), "kib": med(kib),
        "busy": max((g.get("busy") or 0) for g in generators),
        "cpu": med([g["cpu_us_per_unit"] for g in generators if g.get("cpu_us_per_unit")]),
        "saturated": any(g.get("saturated") for g in generators),
    }


def fanout_table(run, count):
    summaries = {s: fanout_summary(run, s, count) for s in run.fanout_servers}
    paced = {s: fanout_summary(run, s, count, f"fanout-{count}-rate") for s in run.fanout_servers}
    peers = [(s, f["rate"]) for s, f in summaries.items() if f and is_peer(s)]
    best = max(peers, key=lambda p: p[1]) if peers else None
    netty = (summaries.get("netty") or {}).get("rate")
    rate = next((f["rate_msg"] for f in paced.values() if f and f["rate_msg"]), None)
    lines = [f"| server | deliveries/s, median (min–max) | × best peer{' (' + name(best[0]) + ')' if best else ''} | × raw Netty "
             f"| KiB per subscriber | latency at {fmt(rate * count) if rate else 'a fixed rate of'} deliveries/s: p50 / p99 / max, µs "
             "| generator busy |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for s in run.fanout_servers:
        f, p = summaries[s], paced[s]
        latency = "—" if p is None else (f"{fmt(p['p50'])} / {fmt(p['p99'])} / {fmt(p['max_latency'])}"
                                         + (" " + run.note(f"{name(s)}, {count:,} subscribers: up to {p['unsent']:,} messages due at the "
                                                           "fixed rate never left the generator (the server did not keep up); latency "
                                                           "counts from when each was due.") if p["unsent"] else ""))
        if p is None and run.runs(s, f"fanout-{count}-rate"):
            latency = run.cell(s, f"fanout-{count}-rate", "")
        if f is None:
            lines.append(f"| {name(s)} | {run.cell(s, f'fanout-{count}', '')} | — | — | — | {latency} | — |")
            continue
        rounds = "" if f["rounds"] == f["of"] else " " + run.note(f"{name(s)}, {count:,} subscribers: the medians are of the "
                                                                   f"{f['rounds']} rounds of {f['of']} that passed (see Runs that found errors).")
        lines.append(f"| {name(s)} | {fmt(f['rate'])} ({fmt(f['min'])}–{fmt(f['max'])}){rounds} | "
                     f"{ratio_text(f['rate'] / best[1]) if best else '—'} | {ratio_text(f['rate'] / netty) if netty else '—'} | "
                     f"{fmt(f['kib'], 2)} | {latency} | {f['busy']:.0%}{' (saturated)' if f['saturated'] else ''} |")
    return lines


def fanout_rounds_table(run):
    rounds = int(run.settings.get("fanout_rounds", "1"))
    header = [f"{count:,}: round {i}" for count in run.fanout_counts for i in range(1, rounds + 1)]
    lines = ["| server | " + " | ".join(header) + " |", "|---" + "|---:" * len(header) + "|"]
    for s in run.fanout_servers:
        cells = []
        for count in run.fanout_counts:
            for i in range(1, rounds + 1):
                rs = [r for r in run.runs(s, f"fanout-{count}") if r["round"] == i]
                result = rs[0]["result"] if rs else None
                if not rs:
                    cells.append("—")
                elif result and result.get("passed"):
                    cells.append(fmt(result["deliveries_per_s"]))
                else:
                    cells.append("failed")
        lines.append(f"| {name(s)} | " + " | ".join(cells) + " |")
    return lines


def fanout_generator_notes(run):
    lines = []
    for count in run.fanout_counts:
        summaries = [(s, fanout_summary(run, s, count)) for s in run.fanout_servers]
        summaries = [(s, f) for s, f in summaries if f]
        if not summaries:
            continue
        s, f = max(summaries, key=lambda sf: sf[1]["rate"])
        ceiling = 1e6 / f["cpu"] if f["cpu"] else None
        lines.append(f"- **{count:,} subscribers**: the fastest, {name(s)} at {fmt(f['rate'])} deliveries/s, kept the generator at most "
                     f"{f['busy']:.0%} busy at {f['cpu']:.2f} µs of its CPU per delivery: by that cost its one core would take about "
                     f"{fmt(ceiling)} deliveries/s{' (saturated: read this number as the generator’s)' if f['saturated'] else ''}.")
    return lines


def fanout_section(run):
    s = run.settings
    lines = ["## Fan-out", "",
             f"One room, one publisher, {', '.join(f'{n:,}' for n in run.fanout_counts)} subscribers (`bench fanout`, the contract in "
             "`echowall-bench/peers/README.md`); 64 B text; every delivery checked for loss, order, duplicates and its bytes. "
             "A freshly started server for each count and round, and on it two runs of "
             f"{s.get('fanout_warmup_s', '?')} s warmup and {s.get('fanout_duration_s', '?')} s measured: first as fast as the server "
             f"delivers (the publisher keeps {s.get('fanout_in_flight', '?')} messages' worth of deliveries in flight), which gives "
             "deliveries/s and the memory (the server's RSS at the end of the window minus its RSS before the subscribers came, per "
             f"subscriber); then at a fixed rate of {fmt(int(s.get('fanout_rate_deliveries') or 0))} deliveries/s (that many divided by "
             "the subscribers, in messages a second), which gives the latency from each message's due time to each of its deliveries, "
             f"so its max is the time to reach the last subscriber. {s.get('fanout_rounds', '?')} round(s), servers interleaved round by "
             "round. **Medians of the rounds, with min–max**; ratios compare medians, against the fastest peer (not Echowall, not the "
             "generator's reflector) and against raw Netty.", ""]
    for count in run.fanout_counts:
        lines += [f"### {count:,} subscribers", ""] + fanout_table(run, count) + [""]
    lines += ["### Every round (deliveries/s)", ""] + fanout_rounds_table(run)
    lines += ["", "### The load generator's ceiling on fan-out", "",
              "Each delivery costs the generator a share of a socket read, its header parsed and its bytes compared; "
              "docs/reference/bench.md measures the ceiling against `bench reflect`'s minimal fan-out.", ""]
    lines += fanout_generator_notes(run)
    return lines


def chart(run, path):
    data = sorted(((name(s), run.median(s, HEADLINE), s) for s in run.servers if run.median(s, HEADLINE)), key=lambda d: -d[1])
    if not data:
        return False
    top, low = data[0][1], data[-1][1]
    log = top / low > 30
    left, right, bar, gap, head = 190, 110, 20, 8, 62
    width, plot = 820, 820 - 190 - 110
    height = head + len(data) * (bar + gap) + 34
    if log:
        lo, hi = 10 ** math.floor(math.log10(low)), 10 ** math.ceil(math.log10(top))
        x = lambda v: left + plot * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        ticks = [10 ** e for e in range(round(math.log10(lo)), round(math.log10(hi)) + 1)]
        minor = [t * k for t in ticks[:-1] for k in (2, 5)]
    else:
        step = 10 ** math.floor(math.log10(top / 4))
        step *= 5 if top / step > 20 else 2 if top / step > 8 else 1
        hi = math.ceil(top / step) * step
        x = lambda v: left + plot * v / hi
        ticks = [i * step for i in range(int(hi / step) + 1)]
        minor = []
    short = lambda v: f"{v / 1e6:g}M" if v >= 1e6 else f"{v / 1e3:g}k" if v >= 1e3 else f"{v:g}"
    colour = lambda s: "#444" if s == "netty" else "#e8590c" if s.startswith("echowall") else "#4c78a8"
    rounds = run.settings.get("rounds", "?")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="20" font-size="15" font-weight="bold">Echo throughput: 64 B text, 100 connections × 10 in flight</text>',
           f'<text x="10" y="38" fill="#555">messages per second, median of {rounds} round{"" if rounds == "1" else "s"}{", log scale" if log else ""}; '
           f'server on core 1, load generator on core 0; {escape(run.machine.get("date", ""))}</text>']
    bottom = head + len(data) * (bar + gap)
    for t in minor:
        out.append(f'<line x1="{x(t):.1f}" y1="{head - 6}" x2="{x(t):.1f}" y2="{bottom}" stroke="#f0f0f0"/>')
    for t in ticks:
        out.append(f'<line x1="{x(t):.1f}" y1="{head - 6}" x2="{x(t):.1f}" y2="{bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{x(t):.1f}" y="{bottom + 16}" text-anchor="middle" fill="#555">{short(t)}</text>')
    for i, (label, value, s) in enumerate(data):
        y = head + i * (bar + gap)
        x0 = x(lo) if log else left
        out.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect x="{x0:.1f}" y="{y}" width="{max(x(value) - x0, 1):.1f}" height="{bar}" fill="{colour(s)}"/>')
        out.append(f'<text x="{x(value) + 6:.1f}" y="{y + 15}">{value:,.0f}</text>')
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    return True


def markdown(run, run_dir, chart_file, md_file):
    s, m = run.settings, run.machine
    echo, idle_part, fanout = "echo" in run.parts, "idle" in run.parts, "fanout" in run.parts and run.fanout_counts
    elapsed = int(s.get("elapsed_s", "0"))
    rounds, duration, warmup = s.get("rounds"), s.get("duration_s"), s.get("warmup_s")
    short = s.get("short_duration_s", duration)
    idle = ", ".join(f"{n:,}" for n in run.idle_counts)
    lines = ["# Benchmarks", "",
             f"Generated by `echowall-bench/run-benchmarks` from the run in `{os.path.relpath(run_dir, REPO)}` "
             f"({m.get('date', '?')}, {elapsed // 60} min {elapsed % 60} s). Every number below comes from that one run; "
             "ratios compare servers measured in it, never numbers from another day. Do not edit by hand: run the script again.", ""]
    load = float((m.get("load average at start") or "0").split()[0])
    cores = int(m.get("cores (nproc)", "0") or 0)
    if cores and load > 0.5:
        lines += [f"**The machine was not quiet**: load average {load} at the start on {cores} cores (see Machine). Other work "
                  "competed with the server and the generator, so absolute numbers are low and noisy; ratios suffer less, as "
                  "every server ran under the same drift, but read differences of 10–20% as noise.", ""]
    if s.get("mode") == "quick":
        lines += ["**A quick run** (`--quick`): one round, short runs and a few servers, to check the tooling. Do not quote its numbers.", ""]
    elif s.get("mode") == "smoke":
        lines += ["**A smoke run** (`--smoke`): one short round on a few hundred subscribers, and the generator's reflector broken "
                  "on purpose, to check the pipeline and its checks. Do not quote its numbers.", ""]
    elif s.get("mode") == "partial":
        lines += [f"**A partial run** (`--parts {','.join(run.parts)}`): only those parts of the matrix ran.", ""]
    shown = (run.servers if echo or idle_part else []) + [f for f in run.fanout_servers if fanout and f not in run.servers]
    lines += ["## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in m.items()]
    lines += [f"| load average at end | {s.get('load average at end', '?')} |", "",
              "## Versions", "", "| server | version |", "|---|---|"]
    lines += [f"| {name(k)} | {v} |" for k, v in run.versions.items() if k in shown or k == "echowall"]
    lines += ["", "Echowall runs the demo's echo wall (`java -jar echowall-cli/target/echowall.jar serve --port N --style S`) "
              "in three handler styles; the issue's \"event style\" is the listener, measured in both of its variants:", ""]
    lines += [f"- **{name(k)}**: {SERVERS[k][1]}" for k in ["echowall-event-loop", "echowall-listener", "echowall-blocking"] if k in shown]
    if fanout:
        lines += ["", "For the fan-out, `serve --fanout` adds `/fanout` in the same style (`echowall-demo`'s `FanoutRoom`: "
                  "`ws.join` and `ws.publish`, the room's default policy for slow members)."]
    lines += ["", "The peers are `echowall-bench/peers/` (settings and reasons in its README), started with `start-peer`.", "",
              "## Settings", "",
              f"- Server pinned to core {s.get('server_core')}, load generator (`echowall-bench.jar`, one event-loop thread) to core "
              f"{s.get('generator_core')} with `taskset`; loopback; JVMs (servers and generator) run with `{s.get('jvm_flags', '')}` and their default heap."]
    if echo:
        lines += [
              f"- Rounds: {rounds}. Each round starts every server afresh in turn (A B C … A B C …) and runs the echo scenarios, "
              f"the fixed rate and connect against it, so drift on the machine hits every server alike. "
              f"**The tables show the median of the rounds, with min–max**; ratios compare medians. The 100 × 10 rounds are listed below one by one.",
              f"- Echo: text messages (uWSGI echoes only text faithfully); `A × B` is A connections with B messages in flight "
              f"on each; 100 × 10 and 16 KiB measured for {duration} s, 100 × 1 and 1 × 1 for {short} s, each after {warmup} s warmup, "
              "in that order (the heavy runs warm the server's JIT for the light ones).",
              f"- Fixed rate: {fmt(int(s['rate'])) if s.get('rate', '').isdigit() else '—'} msg/s of 64 B text over 100 connections "
              f"({s.get('rate_basis') or 'no rate'}), {duration} s after {warmup} s warmup; latency from each message's intended send time. "
              "Not run for the single-process Python servers (gevent-websocket, uWSGI, Tornado), as the issue allows: the rate comes from "
              "raw Netty's maximum and they would mostly measure their own backlog"
              + (" (their median 100 × 10 echo here: " + ", ".join(f"{name(p)} {fmt(run.median(p, HEADLINE))} msg/s" for p in ("gevent", "uwsgi", "tornado")
                                                             if run.median(p, HEADLINE)) + ")" if any(run.median(p, HEADLINE) for p in ("gevent", "uwsgi", "tornado")) else "")
              + ".",
              f"- Connect: 32 opening + closing handshakes at a time, {short} s after {warmup} s warmup."]
    if idle_part:
        lines += [
              f"- Idle memory: {idle} idle connections, each on a freshly started server, held {s.get('idle_hold_s')} s; the server's RSS "
              f"{s.get('idle_settle_s')} s into the hold "
              "minus its RSS before opening, divided by the connections (one round).",
              f"- **50,000 idle connections could not be run here.** Every connection costs the server and the generator one file "
              f"descriptor each, and this machine's per-process limit is {m.get('file descriptors per process', '?')}; the generator "
              f"refuses the count up front (`{s.get('idle_note')}`). The largest count that leaves the server room for its own files, "
              f"{max(run.idle_counts):,}, stands in for 50,000 in the targets." if s.get("idle_note") else ""]
    if fanout:
        lines += [f"- Fan-out: see its section (took {int(s.get('fanout_elapsed_s') or 0) // 60} min {int(s.get('fanout_elapsed_s') or 0) % 60} s)."]
    lines += ["",
              "## How to reproduce", "",
              "```sh",
              "echowall-bench/peers/install-peers     # once: Debian packages, the Node peers, the Java peers",
              "echowall-bench/run-benchmarks --build  # builds Echowall first; about 40 minutes; rewrites this file",
              "```", "",
              "`--quick` checks the tooling in a few minutes; `--parts fanout` runs the fan-out alone; `--help` lists the options. "
              "Raw results (every `RESULT` line, machine facts, versions, logs) are kept in `echowall-bench/target/benchmarks/<time>/`.", "",
              "## Results", ""]
    if echo or idle_part:
        lines += absolute_tables(run)
    if echo:
        lines += ["", f"![Echo throughput, 64 B, 100 × 10]({os.path.relpath(chart_file, os.path.dirname(os.path.abspath(md_file)))})", "",
                  "### The load generator's ceiling", "",
                  "The generator runs on one core; near its ceiling the numbers describe it rather than the server "
                  "(docs/reference/bench.md measured about 1.2 M msg/s for 64 B × 100 × 10 against its minimal `bench reflect` server).", ""]
        lines += generator_notes(run)
    if echo or idle_part:
        lines += ["", "### Ratios against the best peer in the same run", "",
                  "Each column against the peer (any server but Echowall) with the best median in it, named in the column. "
                  "Throughput: higher is better. CPU per message, p99 latency and memory per connection: lower is better.", ""]
        lines += ratio_table(run, True)
        lines += ["", "### Ratios against raw Netty in the same run", ""]
        lines += ratio_table(run, False)
    if echo:
        lines += ["", "### 64 B, 100 × 10: every round (msg/s)", ""]
        lines += rounds_table(run)
    if fanout:
        lines += [""] + fanout_section(run)
    if echo:
        lines += ["", "## Targets", "", "| target | Echowall | measured | verdict |", "|---|---|---:|---|"]
        lines += [f"| {t} | {srv} | {r} | {v} |" for t, srv, r, v in targets(run)]
    performance = os.path.relpath(os.path.join(REPO, "docs", "topics", "performance.md"), os.path.dirname(md_file))
    lines += ["", f"What the server's speed rests on, and where its time goes: [performance]({performance})."]
    if run.notes:
        lines += ["", "## Notes", ""] + [f"{i}. {escape(text, quote=False)}" for i, text in enumerate(run.notes, 1)]
    failed = failures(run)
    lines += ["", "## Runs that found errors", ""]
    lines += (["Every run with a lost, corrupt, duplicated or unanswered message or connection, in any round (every table "
               "shows the medians of the rounds that passed):", ""] + failed) if failed else ["None."]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir")
    parser.add_argument("--markdown", required=True)
    parser.add_argument("--chart", required=True)
    args = parser.parse_args()
    run = Run(args.run_dir)
    chart(run, args.chart)
    text = markdown(run, os.path.realpath(args.run_dir), os.path.abspath(args.chart), os.path.abspath(args.markdown))
    with open(args.markdown, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
