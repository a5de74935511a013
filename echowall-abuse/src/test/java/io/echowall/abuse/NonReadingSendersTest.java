package io.echowall.abuse;

import io.echowall.testing.RawWebSocket;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Attack 2: 300 clients send 4 KiB text messages to the echo endpoint without pause and never read
 * the echoes. Each connection alone stays within its limits; together they must not exhaust the
 * server's memory, and a newcomer must still be served during and after the attack.
 */
@Timeout(120)
class NonReadingSendersTest {

    private static final int CLIENTS = 300;
    private static final Duration ATTACK = Duration.ofSeconds(8);
    private static final int MESSAGE_SIZE = 4096;
    private static final int MESSAGES_PER_WRITE = 16;

    private Target target;

    @AfterEach
    void stopTarget() throws InterruptedException {
        if (target != null) {
            target.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(HandlerStyle.class)
    void manyClientsThatSendButNeverReadDoNotExhaustTheServer(HandlerStyle style) throws Exception {
        Summary.run("non-reading-senders style=" + style, summary -> {
            target = Target.start("non-reading-senders", style, false);
            Health.Baseline baseline = Health.baseline(target, summary);
            byte[] messages = Frames.batch(0x80 | RawWebSocket.TEXT,
                    "m".repeat(MESSAGE_SIZE).getBytes(StandardCharsets.UTF_8), MESSAGES_PER_WRITE);

            List<RawWebSocket> attackers = new ArrayList<>(CLIENTS);
            AtomicLong sentBytes = new AtomicLong();
            AtomicInteger endedByServer = new AtomicInteger();
            AtomicBoolean stopping = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>(CLIENTS);
            Monitor monitor = null;
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    attackers.add(Attackers.open(target.port(), "/echo"));
                }
                summary.put("clients", attackers.size());
                long end = System.nanoTime() + ATTACK.toNanos();
                // One virtual thread per client: a write blocked by a server that stopped reading parks
                // the thread, not a carrier, so 300 of them cost the machine next to nothing.
                for (RawWebSocket attacker : attackers) {
                    writers.add(Thread.ofVirtual().name("sender").start(() -> {
                        try {
                            while (System.nanoTime() < end) {
                                attacker.sendRaw(messages);
                                sentBytes.addAndGet(messages.length);
                            }
                        } catch (IOException e) {
                            if (!stopping.get()) {
                                endedByServer.incrementAndGet(); // reset or closed by the server
                            }
                        }
                    }));
                }
                monitor = Monitor.start(target);
                // Writers end at the deadline unless a write blocks; either way the attack is over then.
                Attackers.joinAll(writers, end + Duration.ofMillis(500).toNanos());
            } finally {
                stopping.set(true);
                for (RawWebSocket attacker : attackers) {
                    attacker.close();
                }
                Attackers.joinAll(writers, System.nanoTime() + Duration.ofSeconds(10).toNanos());
                if (monitor != null) {
                    monitor.stop();
                }
            }

            summary.put("sent", Memory.mib(sentBytes.get()));
            summary.put("closedByServer", endedByServer.get());
            monitor.report(summary);
            SoftAssertions soft = new SoftAssertions();
            monitor.checkFreshClientsServedWithin(Duration.ofSeconds(5), soft);
            Health.checkHealthyAfter(target, baseline, summary, soft);
            soft.assertAll();
        });
    }
}
