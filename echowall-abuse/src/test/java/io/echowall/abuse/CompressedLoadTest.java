package io.echowall.abuse;

import io.echowall.testing.RawWebSocket;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack 7: 50 clients send, without pause, compressed messages of about 1 KB that inflate to just
 * under the 1 MiB message limit, and read (and drop) whatever comes back, so the load is inflating,
 * not a full send buffer. Meanwhile fresh clients must still get their 101 promptly: inflating must
 * not monopolise the event loops that accept and upgrade connections.
 */
@Timeout(120)
class CompressedLoadTest {

    private static final int CLIENTS = 50;
    private static final Duration ATTACK = Duration.ofSeconds(8);
    private static final int INFLATED_SIZE = 1_000_000;
    private static final Duration MAX_HANDSHAKE = Duration.ofSeconds(3);
    // Long enough to measure a starved handshake (6-15 s were seen) rather than just time it out.
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    private Target target;

    @AfterEach
    void stopTarget() throws InterruptedException {
        if (target != null) {
            target.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(HandlerStyle.class)
    void compressedMessagesDoNotStarveNewClients(HandlerStyle style) throws Exception {
        Summary.run("compressed-load style=" + style, summary -> {
            target = Target.start("compressed-load", style, true);
            Health.Baseline baseline = Health.baseline(target, summary);
            byte[] inflated = new byte[INFLATED_SIZE];
            Arrays.fill(inflated, (byte) 'a');
            byte[] compressed = Frames.deflate(inflated);
            byte[] frame = RawWebSocket.encode(0x80 | 0x40 | RawWebSocket.TEXT, compressed, true); // RSV1: compressed
            summary.put("compressedSize", compressed.length + "B");

            List<RawWebSocket> attackers = new ArrayList<>(CLIENTS);
            List<Thread> senders = new ArrayList<>(CLIENTS);
            List<Thread> readers = new ArrayList<>(CLIENTS);
            AtomicLong messagesSent = new AtomicLong();
            AtomicLong bytesReceived = new AtomicLong();
            AtomicBoolean stopping = new AtomicBoolean();
            AtomicLong endedByServer = new AtomicLong();
            Monitor monitor = null;
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    RawWebSocket ws = Attackers.open(target.port(), "/echo",
                            "Sec-WebSocket-Extensions: permessage-deflate");
                    attackers.add(ws);
                    assertThat(ws.response().header("Sec-WebSocket-Extensions"))
                            .as("permessage-deflate negotiated").startsWith("permessage-deflate");
                }
                long end = System.nanoTime() + ATTACK.toNanos();
                for (RawWebSocket ws : attackers) {
                    readers.add(Thread.ofVirtual().name("inflate-reader").start(() -> {
                        try {
                            for (RawWebSocket.Frame f = ws.read(); f != null; f = ws.read()) {
                                bytesReceived.addAndGet(f.payload().length);
                            }
                        } catch (IOException closed) {
                            // the attack is over, or the server dropped this client: either way, done
                        }
                    }));
                    senders.add(Thread.ofVirtual().name("inflate-sender").start(() -> {
                        try {
                            while (System.nanoTime() < end) {
                                ws.sendRaw(frame);
                                messagesSent.incrementAndGet();
                            }
                        } catch (IOException e) {
                            if (!stopping.get()) {
                                endedByServer.incrementAndGet();
                            }
                        }
                    }));
                }
                monitor = Monitor.start(target, PROBE_TIMEOUT);
                // Senders end at the deadline unless a write blocks; readers run until their socket closes.
                Attackers.joinAll(senders, end + Duration.ofMillis(500).toNanos());
            } finally {
                stopping.set(true);
                for (RawWebSocket ws : attackers) {
                    ws.close();
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                Attackers.joinAll(senders, deadline);
                Attackers.joinAll(readers, deadline);
                if (monitor != null) {
                    monitor.stop();
                }
            }

            summary.put("messagesSent", messagesSent.get());
            summary.put("received", Memory.mib(bytesReceived.get()));
            summary.put("closedByServer", endedByServer.get());
            monitor.report(summary);
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(monitor.handshakeMillis()).as("fresh clients that got their 101 during the attack")
                    .isNotEmpty();
            soft.assertThat(monitor.handshakeMillis().stream().mapToLong(Long::longValue).max().orElse(0))
                    .as("the slowest fresh client's connect-to-101 time during the attack (ms)")
                    .isLessThan(MAX_HANDSHAKE.toMillis());
            monitor.checkFreshClientsServedWithin(Duration.ofSeconds(5), soft);
            Health.checkHealthyAfter(target, baseline, summary, soft);
            soft.assertAll();
        });
    }
}
