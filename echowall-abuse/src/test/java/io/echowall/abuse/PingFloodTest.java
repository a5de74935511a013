package io.echowall.abuse;

import io.echowall.testing.RawWebSocket;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Attack 1: one client sends pings as fast as it can and never reads the pongs. The server must not
 * queue pongs without bound: it stops reading a peer that does not read (answering only the latest
 * ping it has not answered yet), so its memory stays flat and everyone else is served.
 */
@Timeout(90)
class PingFloodTest {

    private static final Duration ATTACK = Duration.ofSeconds(6);
    private static final byte[] PAYLOAD = new byte[125]; // the largest a control frame may carry
    private static final int PINGS_PER_WRITE = 64;

    static {
        Arrays.fill(PAYLOAD, (byte) 'p');
    }

    private Target target;

    @AfterEach
    void stopTarget() throws InterruptedException {
        if (target != null) {
            target.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(HandlerStyle.class)
    void aClientThatFloodsPingsAndNeverReadsCostsNoMemory(HandlerStyle style) throws Exception {
        Summary.run("ping-flood style=" + style, summary -> {
            target = Target.start("ping-flood", style, false);
            Health.Baseline baseline = Health.baseline(target, summary);
            byte[] pings = Frames.batch(0x80 | RawWebSocket.PING, PAYLOAD, PINGS_PER_WRITE);
            int frameSize = pings.length / PINGS_PER_WRITE;

            RawWebSocket attacker = Attackers.open(target.port(), "/echo");
            AtomicLong sentBytes = new AtomicLong();
            AtomicReference<String> writerEnd = new AtomicReference<>("ran the whole attack");
            AtomicBoolean stopping = new AtomicBoolean();
            long start = System.nanoTime();
            Thread writer = Thread.ofPlatform().name("ping-flooder").start(() -> {
                long end = start + ATTACK.toNanos();
                try {
                    while (System.nanoTime() < end) {
                        attacker.sendRaw(pings);
                        sentBytes.addAndGet(pings.length);
                    }
                } catch (IOException e) {
                    if (stopping.get()) {
                        return; // our own close, which ended a blocked write
                    }
                    writerEnd.set("write failed after " + Duration.ofNanos(System.nanoTime() - start).toMillis()
                            + "ms, the server closed the connection: " + e.getMessage());
                }
            });
            Monitor monitor = Monitor.start(target);
            try {
                // The writer ends by itself at the deadline, unless a write blocks because the server
                // stopped reading, which is what a server protecting itself does.
                writer.join(ATTACK.plusMillis(500));
                if (writer.isAlive()) {
                    writerEnd.set("blocked in write (the server stopped reading)");
                }
            } finally {
                stopping.set(true);
                attacker.close();
                writer.join(Duration.ofSeconds(10));
                monitor.stop();
            }

            summary.put("pingsSent", sentBytes.get() / frameSize);
            summary.put("writer", "'" + writerEnd.get() + "'");
            monitor.report(summary);
            SoftAssertions soft = new SoftAssertions();
            monitor.checkFreshClientsServedWithin(Duration.ofSeconds(5), soft);
            if (monitor.heapPeak() >= 0) {
                // Flat: pings are answered, not stored, so the heap does not grow during the attack either.
                soft.assertThat(monitor.heapPeak()).as("heap after GC during the attack (before: %s)",
                                Memory.mib(baseline.memory().heapUsed()))
                        .isLessThanOrEqualTo(baseline.memory().heapUsed() + Health.HEAP_MARGIN);
            }
            Health.checkHealthyAfter(target, baseline, summary, soft);
            soft.assertAll();
        });
    }
}
