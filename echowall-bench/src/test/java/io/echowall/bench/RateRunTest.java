package io.echowall.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class RateRunTest {

    @Test
    void sendsExactlyThePlannedMessagesAndGetsThemAllBack() {
        try (TestEchoServer server = new TestEchoServer(TestEchoServer.Fault.NONE)) {
            Timing timing = new Timing(Duration.ofMillis(250), Duration.ofMillis(750), Duration.ofSeconds(1));
            RateSettings settings = new RateSettings(Runs.client(server.url()), 4, 2000, new Payload(64, true), timing, null);
            RateResult result = RateRun.run(settings, Progress.SILENT);

            assertThat(settings.planned()).isEqualTo(2000);
            assertThat(result.planned()).isEqualTo(2000);
            // The schedule is counted, not timed: all planned messages go out, the last tick included.
            assertThat(result.totals().sent()).isEqualTo(2000);
            assertThat(result.unsent()).isZero();
            assertThat(result.totals().received()).isEqualTo(2000);
            assertThat(result.errors().total()).as(result.errors().first()).isZero();
            // Latency covers exactly the messages due in the 750 ms window, however late their echoes.
            assertThat(result.latency().count()).isEqualTo(1500);
            assertThat(result.passed()).isTrue();
        }
    }

    @Test
    void theCommandLineReportsTheAchievedRate() {
        try (TestEchoServer server = new TestEchoServer(TestEchoServer.Fault.NONE)) {
            Cli cli = Cli.run("rate", "--url", server.url(), "--rate", "1000", "--connections", "3",
                    "--duration", "500ms", "--warmup", "0s", "--no-progress");

            assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
            assertThat(cli.resultNumber("planned")).isEqualTo(500);
            assertThat(cli.resultNumber("sent")).isEqualTo(500);
            assertThat(cli.resultJson()).contains("\"achieved_per_s\":", "\"mode\":\"rate\"");
            assertThat(cli.out()).contains("achieved msg/s", "from the intended send time");
        }
    }
}
