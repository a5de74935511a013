package io.echowall.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class ConnectRunTest {

    @Test
    void countsEveryHandshakeTheServerCompletedAndClosesEachCleanly() {
        try (TestEchoServer server = new TestEchoServer(TestEchoServer.Fault.NONE)) {
            ConnectSettings settings = new ConnectSettings(Runs.client(server.url()), 4, Duration.ofMillis(200), Duration.ofMillis(800));
            ConnectResult result = ConnectRun.run(settings, Progress.SILENT);

            assertThat(result.errors().total()).as(result.errors().first()).isZero();
            assertThat(result.totals().handshakes()).isPositive().isEqualTo(server.handshakes());
            assertThat(result.attempts()).isEqualTo(result.totals().handshakes());
            assertThat(result.totals().cleanCloses()).isEqualTo(result.totals().handshakes());
            assertThat(result.latency().count()).isEqualTo(result.totals().measured()).isPositive();
            assertThat(result.passed()).isTrue();
        }
    }

    @Test
    void aRefusedUpgradeIsAFailedConnection() {
        try (TestEchoServer server = new TestEchoServer(TestEchoServer.Fault.NONE)) {
            Cli cli = Cli.run("connect", "--url", server.url().replace("/foobar/", "/elsewhere"), "--concurrency", "2",
                    "--duration", "300ms", "--warmup", "0s", "--no-progress");

            assertThat(cli.exitCode()).isEqualTo(1);
            assertThat(cli.resultNumber("connect_failed")).isPositive();
            assertThat(cli.resultJson()).contains("404 Not Found instead of 101");
        }
    }
}
