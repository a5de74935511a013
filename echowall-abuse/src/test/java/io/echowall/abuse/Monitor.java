package io.echowall.abuse;

import org.assertj.core.api.SoftAssertions;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watches the target while an attack runs, on two threads of its own: one has a fresh client connect
 * and get a message echoed, one after the other with 100 ms between them; the other samples the
 * target's memory (after GC) every second. Apart, so that a slow memory request never delays the
 * probes that measure whether newcomers are served. Both stop when told, or after two minutes
 * whatever happens.
 */
final class Monitor {

    private static final Duration PROBE_PAUSE = Duration.ofMillis(100);
    private static final Duration MEMORY_EVERY = Duration.ofSeconds(1);
    private static final Duration MAX_RUN = Duration.ofMinutes(2);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MEMORY_TIMEOUT = Duration.ofSeconds(10); // how long a RawWebSocket read waits: Target.memory() asks with one

    private final Target target;
    private final Duration probeTimeout;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread prober;
    private final Thread sampler;
    private final List<Long> handshakeMillis = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> echoMillis = Collections.synchronizedList(new ArrayList<>());
    private final List<String> probeFailures = Collections.synchronizedList(new ArrayList<>());
    private final List<String> memoryFailures = Collections.synchronizedList(new ArrayList<>());
    private final List<Memory> samples = Collections.synchronizedList(new ArrayList<>());

    private Monitor(Target target, Duration probeTimeout) {
        this.target = target;
        this.probeTimeout = probeTimeout;
        this.prober = new Thread(this::probe, "abuse-prober");
        this.sampler = new Thread(this::sample, "abuse-sampler");
    }

    /** Starts watching {@code target}; each step of a probe may take 5 s before it counts as failed. */
    static Monitor start(Target target) {
        return start(target, DEFAULT_TIMEOUT);
    }

    /** Starts watching {@code target}; each step of a probe may take {@code probeTimeout}. */
    static Monitor start(Target target, Duration probeTimeout) {
        Monitor monitor = new Monitor(target, probeTimeout);
        monitor.prober.start();
        monitor.sampler.start();
        return monitor;
    }

    private void probe() {
        long end = System.nanoTime() + MAX_RUN.toNanos();
        try {
            for (int i = 0; System.nanoTime() < end; i++) {
                long start = System.nanoTime();
                try {
                    Probe.Timing timing = Probe.echo(target.port(), "/echo", "monitor-" + i, probeTimeout);
                    handshakeMillis.add(timing.handshake().toMillis());
                    echoMillis.add(timing.echo().toMillis());
                } catch (IOException e) {
                    probeFailures.add(e + " after " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
                }
                if (stop.await(PROBE_PAUSE.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample() {
        long end = System.nanoTime() + MAX_RUN.toNanos();
        try {
            while (System.nanoTime() < end) {
                try {
                    samples.add(target.memory());
                } catch (IOException e) {
                    memoryFailures.add(e.toString());
                }
                if (stop.await(MEMORY_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops watching, after the probe and the memory request in progress, which are bounded by their
     * own timeouts: a probe that started during the attack is measured to its end.
     */
    void stop() throws InterruptedException {
        stop.countDown();
        prober.join(probeTimeout.multipliedBy(3).plusSeconds(1)); // connect, 101 and echo
        sampler.join(MEMORY_TIMEOUT.plusSeconds(1));
    }

    /** Connect-to-echo times of the fresh clients, in milliseconds. */
    List<Long> echoMillis() {
        synchronized (echoMillis) {
            return List.copyOf(echoMillis);
        }
    }

    /** Connect-to-101 times of the fresh clients, in milliseconds. */
    List<Long> handshakeMillis() {
        synchronized (handshakeMillis) {
            return List.copyOf(handshakeMillis);
        }
    }

    /** The largest heap (after GC) sampled during the attack, or -1 if no sample succeeded. */
    long heapPeak() {
        synchronized (samples) {
            return samples.stream().mapToLong(Memory::heapUsed).max().orElse(-1);
        }
    }

    /** The largest Netty direct memory sampled during the attack, or -1 if no sample succeeded. */
    long nettyDirectPeak() {
        synchronized (samples) {
            return samples.stream().mapToLong(Memory::nettyDirect).max().orElse(-1);
        }
    }

    /** Why the probes that were not served failed. */
    List<String> probeFailures() {
        synchronized (probeFailures) {
            return List.copyOf(probeFailures);
        }
    }

    /** Why memory requests failed; reported, not asserted: the probes are what judge liveness. */
    List<String> memoryFailures() {
        synchronized (memoryFailures) {
            return List.copyOf(memoryFailures);
        }
    }

    /** Records the figures in {@code summary}: fresh-client latency, memory peaks, failures. */
    void report(Summary summary) {
        summary.put("freshClientDuring", Summary.millis(echoMillis()));
        summary.put("handshakeDuring", Summary.millis(handshakeMillis()));
        long heap = heapPeak();
        summary.put("heapPeak", heap < 0 ? "n/a" : Memory.mib(heap));
        long direct = nettyDirectPeak();
        summary.put("nettyDirectPeak", direct < 0 ? "n/a" : Memory.mib(direct));
        summary.put("probeFailures", describe(probeFailures()));
        summary.put("memoryFailures", describe(memoryFailures()));
    }

    private static String describe(List<String> failures) {
        return failures.isEmpty() ? "0" : failures.size() + "(first:'" + failures.getFirst() + "')";
    }

    /**
     * Checks that fresh clients were served throughout: at least one probe, none failed, and none took
     * longer than {@code bound} (generous: this is liveness, not speed, on a shared machine).
     */
    void checkFreshClientsServedWithin(Duration bound, SoftAssertions soft) {
        List<String> failed = probeFailures();
        soft.assertThat(failed).as("fresh clients that failed during the attack").isEmpty();
        List<Long> echoes = echoMillis();
        soft.assertThat(echoes).as("fresh clients served during the attack").isNotEmpty();
        soft.assertThat(echoes.stream().mapToLong(Long::longValue).max().orElse(0))
                .as("the slowest fresh client's connect-to-echo time during the attack (ms)")
                .isLessThan(bound.toMillis());
    }
}
