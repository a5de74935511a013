package io.echowall.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * Runs {@code bench fanout}: opens the subscribers and waits until the server has said "ready" to
 * each, opens the publishers, publishes for the warmup and the duration, waits (bounded) for the last
 * deliveries, and closes everything cleanly.
 */
final class FanoutRun {
    /** The query parameter that makes a connection a publisher. */
    static final String ROLE = "role";
    static final String PUBLISHER = "publisher";
    /** How often the progress line changes while connections open. */
    private static final long SHOW_EVERY_NANOS = 250_000_000;

    private FanoutRun() {
    }

    static FanoutResult run(FanoutSettings settings, Progress progress) {
        int subscriberCount = settings.subscribers();
        int publisherCount = settings.publishers();
        FileDescriptors.requireRoomFor((long) subscriberCount + publisherCount, "--subscribers");
        Long pid = settings.serverPid();
        long rssBefore = pid == null ? -1 : ResidentMemory.kib(pid);
        FanoutShape shape = settings.shape();
        FanoutBoard board = new FanoutBoard(publisherCount, subscriberCount);
        List<FanoutPublisher> publishers = new ArrayList<>(publisherCount);
        for (int id = 0; id < publisherCount; id++) {
            FanoutPublisher publisher = new FanoutPublisher(id, shape, settings.protocol(), board,
                    settings.fixedRate() ? 0 : settings.inFlight());
            board.add(publisher);
            publishers.add(publisher);
        }
        List<FanoutSubscriber> subscribers = new ArrayList<>(subscriberCount);
        for (int id = 0; id < subscriberCount; id++) {
            subscribers.add(new FanoutSubscriber(id, shape, settings.protocol(), board));
        }

        try (ClientFleet fleet = new ClientFleet(settings.client())) {
            List<FanoutConnection> opened = new ArrayList<>(subscriberCount + publisherCount);
            long subscribeStart = System.nanoTime();
            progress.show("opening " + Table.count(subscriberCount) + " subscribers");
            opened.addAll(fleet.openAll(subscribers, settings.concurrency()));
            requireAll(fleet, opened, opened.size(), subscriberCount, "subscribers connected");
            boolean allReady = await(board.subscribed::get, subscriberCount, settings.readyTimeout().toNanos(), progress, "subscribed", fleet);
            requireAll(fleet, opened, board.subscribed.get(), subscriberCount,
                    "subscribers got \"ready\"" + (allReady ? "" : " within " + Table.seconds(settings.readyTimeout().toNanos() / 1e9)));
            double subscribeSeconds = (System.nanoTime() - subscribeStart) / 1e9;
            long rssSubscribed = pid == null ? -1 : ResidentMemory.kib(pid);

            Target publishTarget = settings.client().target().withQueryParameter(ROLE, PUBLISHER);
            List<FanoutPublisher> openedPublishers = fleet.openAll(publishers, settings.concurrency(), subscriberCount, publishTarget);
            opened.addAll(openedPublishers);
            requireAll(fleet, opened, openedPublishers.size(), publisherCount, "publishers connected");
            await(board.connectedPublishers::get, publisherCount, settings.client().connectTimeout().toNanos(), progress, "publishers ready", fleet);
            requireAll(fleet, opened, board.connectedPublishers.get(), publisherCount, "publishers had their session open");

            Timing timing = settings.timing();
            RunClock clock = RunClock.startingNow(timing.warmup(), timing.duration());
            board.start(clock);
            List<RateSchedule> schedules = List.of();
            long planned = -1;
            if (settings.fixedRate()) {
                schedules = RateSchedule.startAll(publishers, clock, settings.rate(), settings.planned());
                planned = schedules.stream().mapToLong(RateSchedule::planned).sum();
            } else {
                for (FanoutPublisher publisher : publishers) {
                    publisher.eventLoop().execute(() -> publisher.start(clock));
                }
            }
            WindowCpu cpu = RunWatch.watch(fleet, clock, progress, "deliveries", Totals::received, pid);
            long rssLoaded = pid == null ? -1 : ResidentMemory.kib(pid);
            List<RateSchedule> paced = schedules;
            RunWatch.waitFor(() -> RateSchedule.totalBacklog(paced) == 0 && undelivered(fleet.totals(), subscriberCount) == 0,
                    timing.drainTimeout().toNanos());
            progress.done();
            long unsent = RateSchedule.totalBacklog(schedules);

            fleet.closeAll(opened);
            Totals totals = fleet.totals();
            long lost = undelivered(totals, subscriberCount);
            fleet.errors().add(ErrorCounts.Kind.LOST, lost, lost + " deliveries never arrived by the end of the drain time");
            var latency = LatencySummary.of(LoadRuns.latencies(fleet));
            double seconds = clock.measuredSeconds();
            return new FanoutResult(settings, fleet.settings().transport(), planned, unsent, totals, subscribeSeconds,
                    totals.measured() / seconds, latency, fleet.errors(),
                    GeneratorLoad.of(cpu.generatorNanos(), totals.measured(), seconds, settings.client().threads()),
                    cpu.serverMicrosPer(totals.measured()), rssBefore, rssSubscribed, rssLoaded);
        }
    }

    /** Deliveries still expected: every message published, to every subscriber, less what arrived (or arrived unreadable). */
    static long undelivered(Totals totals, int subscribers) {
        return Math.max(0, totals.sent() * subscribers - totals.received() - totals.unidentified());
    }

    /** Unless {@code got} reached {@code wanted}, closes what opened and fails the run saying so. */
    private static void requireAll(ClientFleet fleet, List<? extends WebSocketConnection> opened, int got, int wanted, String what) {
        if (got < wanted) {
            fleet.closeAll(opened);
            throw new BenchException(BenchException.RUN, "only " + got + " of " + wanted + " " + what
                    + "; first error: " + fleet.errors().first());
        }
    }

    /** Waits until {@code count} reaches {@code wanted} or {@code timeoutNanos} pass, showing progress; returns whether it did. */
    private static boolean await(IntSupplier count, int wanted, long timeoutNanos, Progress progress, String what, ClientFleet fleet) {
        long start = System.nanoTime();
        long[] nextShow = {start};
        return RunWatch.waitFor(() -> {
            int now = count.getAsInt();
            long time = System.nanoTime();
            if (time >= nextShow[0]) {
                progress.show(String.format(Locale.ROOT, "%5.1fs %,d of %,d %s   errors %,d",
                        (time - start) / 1e9, now, wanted, what, fleet.errors().total()));
                nextShow[0] = time + SHOW_EVERY_NANOS;
            }
            return now >= wanted;
        }, timeoutNanos);
    }
}
