package io.echowall.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class EchoRunTest {

    @ParameterizedTest(name = "{0} bytes, text {1}")
    @CsvSource({"0, true", "0, false", "64, true", "64, false", "16384, true", "16384, false"})
    void everyMessageSentComesBackIntactFromNettysServer(int size, boolean text) {
        try (TestEchoServer server = new TestEchoServer(TestEchoServer.Fault.NONE)) {
            EchoSettings settings = new EchoSettings(Runs.client(server.url()), 4, 8, new Payload(size, text), Runs.SHORT, null);
            EchoResult result = EchoRun.run(settings, Progress.SILENT);

            assertThat(result.errors().total()).as(result.errors().first()).isZero();
            assertThat(result.passed()).isTrue();
            assertThat(result.totals().sent()).isPositive().isEqualTo(result.totals().received());
            assertThat(result.totals().unidentified()).isZero();
            assertThat(result.totals().measured()).isPositive().isEqualTo(result.latency().count());
            assertThat(result.totals().cleanCloses()).isEqualTo(4);
            assertThat(server.handshakes()).isEqualTo(4);
            assertThat(server.pongs()).as("every connection answers the server's ping").isEqualTo(4);
        }
    }

    @Test
    void acceptsEchoesTheServerSendsInFragments() {
        try (TestEchoServer server = new TestEchoServer(TestEchoServer.Fault.NONE, true)) {
            EchoSettings settings = new EchoSettings(Runs.client(server.url()), 2, 4, new Payload(1000, true), Runs.SHORT, null);
            EchoResult result = EchoRun.run(settings, Progress.SILENT);

            assertThat(result.errors().total()).as(result.errors().first()).isZero();
            assertThat(result.totals().sent()).isPositive().isEqualTo(result.totals().received());
        }
    }

    @Test
    void runsAgainstTheReflectorWithSeveralLoops() {
        try (Reflector reflector = Reflector.start(new InetSocketAddress("127.0.0.1", 0), Transport.choose("auto"), 1)) {
            String url = "ws://127.0.0.1:" + reflector.port() + "/foobar/";
            ClientSettings client = new ClientSettings(Target.parse(url), Transport.choose("auto"), 2,
                    SourceAddresses.kernelChosen(), Duration.ofSeconds(2), Duration.ofSeconds(1));
            EchoResult result = EchoRun.run(new EchoSettings(client, 6, 4, new Payload(200, false), Runs.SHORT, null), Progress.SILENT);

            assertThat(result.errors().total()).as(result.errors().first()).isZero();
            assertThat(result.totals().sent()).isPositive().isEqualTo(result.totals().received());
            assertThat(result.totals().cleanCloses()).isEqualTo(6);
        }
    }

    @Test
    void theCommandLinePrintsATableAndAResultLineAndExitsZero() {
        try (TestEchoServer server = new TestEchoServer(TestEchoServer.Fault.NONE)) {
            Cli cli = Cli.run("echo", "--url", server.url(), "--connections", "2", "--in-flight", "2", "--size", "1k",
                    "--binary", "--duration", "1s", "--warmup", "100ms");

            assertThat(cli.exitCode()).as(cli.err()).isZero();
            assertThat(cli.out()).contains("messages/s", "round trip us", "p99.9", "PASS");
            assertThat(cli.resultJson()).startsWith("{\"mode\":\"echo\"").contains("\"size\":1024", "\"type\":\"binary\"", "\"passed\":true");
            assertThat(cli.resultNumber("sent")).isPositive().isEqualTo(cli.resultNumber("received"));
            assertThat(cli.err()).contains("errors 0");
        }
    }
}
