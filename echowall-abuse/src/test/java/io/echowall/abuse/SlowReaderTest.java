package io.echowall.abuse;

import io.echowall.testing.RawWebSocket;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Attack 3: a client opens {@code /flood}, which sends as fast as it can, with a tiny receive buffer,
 * and never reads. The server must close the TCP connection once the send timeout gives up on it and
 * the close timeout passes, not minutes later.
 *
 * <p>The target pings only every 60 s here, longer than the test waits, so that only the send and
 * close timeouts can end the connection: a keepalive that drops the silent peer after 2 s + 2 s would
 * hide a broken send-timeout path.
 */
@Timeout(90)
class SlowReaderTest {

    // The target's configuration (AbuseTarget), plus a margin for a loaded 2-core machine.
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration MARGIN = Duration.ofSeconds(4);
    private static final Duration GIVE_UP = Duration.ofSeconds(25);
    private static final int PING_SECONDS = 60;

    private Target target;

    @AfterEach
    void stopTarget() throws InterruptedException {
        if (target != null) {
            target.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(HandlerStyle.class)
    void aClientThatStopsReadingIsDisconnectedWithinTheSendAndCloseTimeouts(HandlerStyle style) throws Exception {
        Summary.run("slow-reader style=" + style, summary -> {
            target = Target.start("slow-reader", style, false, PING_SECONDS);
            Health.Baseline baseline = Health.baseline(target, summary);
            // The send that stalls waits the send timeout, then the close timeout cuts the connection.
            // Before it stalls for good, Linux may grow the socket's own send buffer (up to its tcp_wmem
            // maximum, so a bounded number of times) and take a little more just before a send's
            // timeout, letting another send through, which starts the send timeout again: runs here
            // have seen 0 to 3 such sends (5, 8, 11 and 14 s), so up to three are allowed.
            Duration bound = SEND_TIMEOUT.multipliedBy(4).plus(CLOSE_TIMEOUT).plus(MARGIN);

            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096); // before connecting, so that the TCP window stays small
            long start = System.nanoTime();
            socket.connect(new InetSocketAddress("127.0.0.1", target.port()), 5_000);
            Duration timeToClose;
            Monitor monitor = null;
            try (RawWebSocket attacker = RawWebSocket.send(socket,
                    RawWebSocket.request(target.port(), "/flood").getBytes(StandardCharsets.ISO_8859_1))) {
                if (attacker.response().status() != 101) {
                    throw new AssertionError("the upgrade to /flood got " + attacker.response());
                }
                long inode = target.connectionInode(socket.getLocalPort()).orElseThrow(
                        () -> new AssertionError("the target's socket for the attacker is not in /proc"));
                monitor = Monitor.start(target);
                // From here on the attacker reads nothing: the server's writes pile up.
                try {
                    await().atMost(GIVE_UP).pollInterval(Duration.ofMillis(50)).until(() -> !target.holdsSocket(inode));
                    timeToClose = Duration.ofNanos(System.nanoTime() - start);
                    summary.put("timeToClose", timeToClose.toMillis() + "ms");
                } catch (ConditionTimeoutException e) {
                    timeToClose = null;
                    summary.put("timeToClose", "still-open-after-" + GIVE_UP.toSeconds() + "s");
                }
            } finally {
                if (monitor != null) {
                    monitor.stop();
                }
            }

            monitor.report(summary);
            SoftAssertions soft = new SoftAssertions();
            if (timeToClose == null) {
                soft.fail("the server still held the slow reader's connection " + GIVE_UP.toSeconds()
                        + " s after it connected (expected within " + bound.toMillis() + " ms)");
            } else {
                soft.assertThat(timeToClose).as("time from connect until the server closed the slow reader's "
                        + "connection (4 x send timeout + close timeout + margin)").isLessThanOrEqualTo(bound);
            }
            monitor.checkFreshClientsServedWithin(Duration.ofSeconds(5), soft);
            Health.checkHealthyAfter(target, baseline, summary, soft);
            soft.assertAll();
        });
    }
}
