package io.echowall.abuse;

import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * The check every attack ends with: once the attackers are gone, the target must be as it was before.
 * Its connections close, a fresh client is served at once, its heap shrinks back, and it never ran out
 * of memory.
 */
final class Health {

    /**
     * How much more heap (after GC) the target may hold after an attack than before it. The heap is
     * 128 MiB; what legitimately stays grown after a burst of load (Netty's buffer pools and their
     * thread-local caches, the virtual-thread scheduler's queues) is a few MiB. Anything an attack
     * leaves behind in proportion to its size (queued frames or messages, sessions) is tens of MiB
     * at the rates used here, so 24 MiB separates the two while staying under a fifth of the heap.
     */
    static final long HEAP_MARGIN = 24L << 20;

    /** How long a fresh client may take, from connect to echo, once an attack is over. */
    static final Duration FRESH_ECHO = Duration.ofSeconds(1);

    /** How long the target's sockets may take to close once the attackers left. */
    static final Duration SOCKETS_CLOSE = Duration.ofSeconds(10);

    /** The target's state before an attack. */
    record Baseline(int sockets, Memory memory) {
    }

    private Health() {
    }

    /**
     * Warms the target up with a few echoes, waits until it holds only its server socket, and records
     * its memory: the state the target must return to after the attack.
     */
    static Baseline baseline(Target target, Summary summary) throws IOException {
        for (int i = 0; i < 3; i++) {
            Probe.echo(target.port(), "/echo", "warm-up-" + i, Duration.ofSeconds(5));
        }
        int sockets = target.listeningSockets();
        await("the warm-up connections to close").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> target.openSockets() <= sockets);
        Memory memory = target.memory();
        summary.put("heapBefore", Memory.mib(memory.heapUsed()));
        summary.put("nettyDirectBefore", Memory.mib(memory.nettyDirect()));
        return new Baseline(sockets, memory);
    }

    /**
     * Checks the target is healthy after an attack whose clients are all closed, adding any failure to
     * {@code soft}: (1) within 10 s it holds at most one socket more than before (a probe's close may
     * still be in flight), (2) a fresh client connects and gets its echo within 1 s, (3) its heap
     * after GC is within {@link #HEAP_MARGIN} of the baseline, (4) its log has no
     * {@code OutOfMemoryError}. All four are measured and reported, whichever fails.
     */
    static void checkHealthyAfter(Target target, Baseline baseline, Summary summary, SoftAssertions soft)
            throws IOException {
        if (!target.isAlive()) {
            summary.put("target", "died(exit=" + target.exitValue() + ")");
            soft.fail("the target died during the attack, exit code " + target.exitValue() + "; see " + target.log());
            soft.assertThat(target.logShowsOutOfMemoryError()).as("the log shows an OutOfMemoryError").isFalse();
            return;
        }

        long start = System.nanoTime();
        try {
            await().atMost(SOCKETS_CLOSE).pollInterval(Duration.ofMillis(50))
                    .until(() -> target.openSockets() <= baseline.sockets() + 1);
            summary.put("socketsBackAfter", Duration.ofNanos(System.nanoTime() - start).toMillis() + "ms");
        } catch (ConditionTimeoutException e) {
            int open = target.openSockets();
            summary.put("socketsBackAfter", "never(open=" + open + ",baseline=" + baseline.sockets() + ")");
            soft.fail("the target still holds " + open + " sockets " + SOCKETS_CLOSE.toSeconds()
                    + " s after the attack (" + baseline.sockets() + " before it)");
        }

        try {
            Duration echo = Probe.echo(target.port(), "/echo", "after", Duration.ofSeconds(5)).echo();
            summary.put("freshClientAfter", echo.toMillis() + "ms");
            soft.assertThat(echo).as("a fresh client's connect-to-echo time after the attack")
                    .isLessThanOrEqualTo(FRESH_ECHO);
        } catch (IOException e) {
            summary.put("freshClientAfter", "failed");
            soft.fail("a fresh client was not served after the attack: " + e);
        }

        try {
            Memory after = target.memory();
            summary.put("heapAfter", Memory.mib(after.heapUsed()));
            summary.put("nettyDirectAfter", Memory.mib(after.nettyDirect()));
            soft.assertThat(after.heapUsed()).as("heap after GC once the attack is over (before: %s, margin %s)",
                            Memory.mib(baseline.memory().heapUsed()), Memory.mib(HEAP_MARGIN))
                    .isLessThanOrEqualTo(baseline.memory().heapUsed() + HEAP_MARGIN);
        } catch (IOException e) {
            summary.put("heapAfter", "n/a");
            soft.fail("GET /memory failed after the attack: " + e);
        }

        boolean outOfMemory = target.logShowsOutOfMemoryError();
        if (outOfMemory) {
            summary.put("oom", "yes");
        }
        soft.assertThat(outOfMemory).as("the target's log shows an OutOfMemoryError (%s)", target.log()).isFalse();
    }
}
