package io.echowall.conformance;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs the WebSocket conformance cases against a server and reports how it did.
 *
 * <pre>{@code
 * Report report = ConformanceSuite.run(URI.create("ws://127.0.0.1:5000/foobar/"), Options.defaults());
 * System.out.println(report.summary());
 * }</pre>
 *
 * <p>Cases run a few at a time ({@link Options#concurrency()}); each opens its own connections, and after each
 * the suite checks that the server still accepts a connection and echoes, failing the case otherwise.
 */
public final class ConformanceSuite {

    private static final int CASE_BUDGET_TIMEOUTS = 30; // a case normally needs a handful of waits; this catches bugs

    private ConformanceSuite() {
    }

    /**
     * Runs every case {@code options} selects against the server at {@code target} ({@code ws://host:port/path}).
     *
     * @throws IllegalArgumentException when the target is not a {@code ws://} URL
     * @throws IllegalStateException    when the server does not accept a WebSocket and echo a message at all,
     *                                  in which case no case could be judged
     */
    public static Report run(URI target, Options options) {
        Target.check(target);
        Instant started = Instant.now();
        long start = System.nanoTime();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("conformance-watchdog").factory());
        ExecutorService pool = Executors.newFixedThreadPool(options.concurrency(),
                Thread.ofPlatform().daemon().name("conformance-", 0).factory());
        try {
            var runner = new Runner(target, options, watchdog);
            Verdict preflight = runner.verdict(ConformanceSuite::liveness);
            if (preflight.outcome() != Outcome.PASS) {
                throw new IllegalStateException("the server at " + target + " does not accept a WebSocket and echo: "
                        + preflight.reason());
            }
            var futures = cases(options).stream()
                    .filter(c -> options.selects(c.id()))
                    .map(c -> CompletableFuture.supplyAsync(() -> runner.result(c), pool))
                    .toList();
            var results = futures.stream().map(CompletableFuture::join).toList();
            return new Report(target, started, Duration.ofNanos(System.nanoTime() - start), results);
        } finally {
            pool.shutdownNow();
            watchdog.shutdownNow();
        }
    }

    /** Every case, in numeric id order; ids are unique. */
    static List<ConformanceCase> cases(Options options) {
        var all = new ArrayList<ConformanceCase>();
        all.addAll(HandshakeCases.all());
        all.addAll(FramingCases.all(options));
        all.addAll(PingPongCases.all());
        all.addAll(ReservedBitsCases.all());
        all.addAll(OpcodeCases.all());
        all.addAll(FragmentationCases.all());
        all.addAll(Utf8Cases.all());
        all.addAll(CloseCases.all());
        all.addAll(LimitCases.all(options));
        all.addAll(DeflateMessageCases.all(options));
        all.addAll(DeflateNegotiationCases.all());
        var ids = new HashSet<String>();
        for (ConformanceCase c : all) {
            if (!ids.add(c.id())) {
                throw new IllegalStateException("duplicate case id " + c.id());
            }
        }
        all.sort(Comparator.comparing(ConformanceCase::id, ConformanceSuite::compareIds));
        return List.copyOf(all);
    }

    /** Orders dotted ids numerically, component by component: 6.3.2.1 before 6.3.10.1. */
    static int compareIds(String left, String right) {
        String[] a = left.split("\\.");
        String[] b = right.split("\\.");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int order = Integer.compare(Integer.parseInt(a[i]), Integer.parseInt(b[i]));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    /** The liveness check: a fresh connection that echoes a text message. */
    private static Verdict liveness(CaseRun run) throws IOException, ServerViolation {
        try (var session = run.open()) {
            session.send(Frame.text("liveness check"));
            return run.echoes(session, Received.Message.text("liveness check"));
        }
    }

    /** Runs case bodies against one target, each within a time budget, mapping whatever they throw to a verdict. */
    private static final class Runner {
        private final URI target;
        private final Options options;
        private final ScheduledExecutorService watchdog;
        private final Duration budget;
        private Boolean offersDeflate;

        Runner(URI target, Options options, ScheduledExecutorService watchdog) {
            this.target = target;
            this.options = options;
            this.watchdog = watchdog;
            this.budget = options.caseTimeout().multipliedBy(CASE_BUDGET_TIMEOUTS);
        }

        /** Runs a case, then the liveness check, which turns any outcome but UNSUPPORTED into FAIL if it fails. */
        CaseResult result(ConformanceCase c) {
            long start = System.nanoTime();
            Verdict verdict = verdict(c.body());
            if (verdict.outcome() != Outcome.UNSUPPORTED) {
                Verdict alive = verdict(ConformanceSuite::liveness);
                if (alive.outcome() != Outcome.PASS) {
                    String problem = "afterwards the server no longer accepts a connection and echoes: " + alive.reason();
                    verdict = Verdict.fail(verdict.outcome() == Outcome.FAIL ? verdict.reason() + "; " + problem : problem);
                }
            }
            return new CaseResult(c.id(), c.family(), c.description(), verdict.outcome(), verdict.reason(),
                    Duration.ofNanos(System.nanoTime() - start));
        }

        Verdict verdict(ConformanceCase.Body body) {
            var run = new CaseRun(target, options, this::offersDeflate);
            var timer = watchdog.schedule(run::abandon, budget.toMillis(), TimeUnit.MILLISECONDS);
            try {
                return body.run(run);
            } catch (VerdictException e) {
                return e.verdict();
            } catch (ServerViolation e) {
                return Verdict.fail(e.getMessage());
            } catch (IOException e) {
                return Verdict.fail(run.abandoned() ? "the case took longer than its budget of " + budget.toSeconds() + " s"
                        : "I/O error: " + e);
            } catch (Exception e) {
                return Verdict.fail("the case itself broke: " + e);
            } finally {
                timer.cancel(false);
                run.closeAll();
            }
        }

        /**
         * Whether the server agrees to a plain permessage-deflate offer; asked once, then remembered. Only a clean
         * decline counts as "no": a broken answer lets the deflate cases run and report it.
         */
        synchronized boolean offersDeflate() {
            if (offersDeflate == null) {
                BooleanSupplier unknownYet = () -> true;
                var probe = new CaseRun(target, options, unknownYet);
                try (var session = probe.open(probe.request().with("Sec-WebSocket-Extensions", DeflateOffer.NAME))) {
                    offersDeflate = session.deflate() != null;
                } catch (Exception brokenAnswer) {
                    offersDeflate = true;
                } finally {
                    probe.closeAll();
                }
            }
            return offersDeflate;
        }
    }
}
