package io.echowall.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class FanoutRunTest {

    private static FanoutSettings settings(ClientSettings client, FanoutProtocol protocol, int subscribers, int publishers,
                                           double rate, int inFlight) {
        return new FanoutSettings(client, protocol, subscribers, publishers, 8, rate, inFlight, new Payload(64, true),
                Runs.SHORT, Duration.ofSeconds(10), null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"WEBSOCKET", "SOCKET_IO"})
    void everyMessageReachesEverySubscriberInOrderAndIsTimed(FanoutProtocol protocol) {
        try (TestFanoutServer server = new TestFanoutServer(TestFanoutServer.Fault.NONE, protocol == FanoutProtocol.SOCKET_IO)) {
            FanoutResult result = FanoutRun.run(settings(Runs.client(server.url()), protocol, 20, 2, 0, 4), Progress.SILENT);

            assertThat(result.errors().total()).as(result.errors().first()).isZero();
            assertThat(result.passed()).isTrue();
            Totals totals = result.totals();
            assertThat(totals.sent()).isPositive();
            assertThat(totals.received()).isEqualTo(totals.sent() * 20);
            assertThat(totals.measured()).isPositive();
            assertThat(result.latency().count()).isPositive();
            assertThat(result.deliveriesPerSecond()).isPositive();
            assertThat(totals.cleanCloses()).isEqualTo(22);
            if (protocol == FanoutProtocol.SOCKET_IO) {
                assertThat(server.pongs()).as("every client answers the server's ping").isEqualTo(22);
            }
        }
    }

    @Test
    void aFixedRatePublishesExactlyThePlannedMessages() {
        try (TestFanoutServer server = new TestFanoutServer(TestFanoutServer.Fault.NONE, false)) {
            FanoutResult result = FanoutRun.run(settings(Runs.client(server.url()), FanoutProtocol.WEBSOCKET, 5, 2, 500, 0),
                    Progress.SILENT);

            assertThat(result.planned()).isEqualTo(500);
            assertThat(result.totals().sent()).isEqualTo(500);
            assertThat(result.unsent()).isZero();
            assertThat(result.totals().received()).isEqualTo(2500);
            // Latency covers every delivery of the messages due in the 800 ms window, however late.
            assertThat(result.latency().count()).isEqualTo(400 * 5);
            assertThat(result.errors().total()).as(result.errors().first()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"CORRUPT, corrupt", "DROP, lost", "REORDER, reordered", "DUPLICATE, duplicated"})
    void aBrokenDeliveryFailsTheRun(TestFanoutServer.Fault fault, String counter) {
        try (TestFanoutServer server = new TestFanoutServer(fault, false)) {
            FanoutResult result = FanoutRun.run(settings(Runs.client(server.url()), FanoutProtocol.WEBSOCKET, 3, 1, 200, 0),
                    Progress.SILENT);

            assertThat(result.passed()).isFalse();
            assertThat(result.errors().byKind()).anySatisfy((kind, count) -> {
                assertThat(kind.key).isEqualTo(counter);
                assertThat(count).isEqualTo(1);
            });
            assertThat(result.errors().total()).as(result.errors().first()).isEqualTo(1);
        }
    }

    @Test
    void aServerThatNeverSaysReadyFailsTheRunBeforeAnythingIsPublished() {
        try (TestFanoutServer server = new TestFanoutServer(TestFanoutServer.Fault.NEVER_READY, false)) {
            FanoutSettings settings = new FanoutSettings(Runs.client(server.url()), FanoutProtocol.WEBSOCKET, 3, 1, 8, 0, 4,
                    new Payload(64, true), Runs.SHORT, Duration.ofMillis(300), null);

            assertThatThrownBy(() -> FanoutRun.run(settings, Progress.SILENT))
                    .isInstanceOf(BenchException.class)
                    .hasMessageContaining("only 0 of 3 subscribers got \"ready\" within 0.3 s");
        }
    }

    @Test
    void runsAgainstTheReflectorsFanoutWithSeveralLoops() {
        try (Reflector reflector = Reflector.start(new InetSocketAddress("127.0.0.1", 0), Transport.choose("auto"), 1)) {
            String url = "ws://127.0.0.1:" + reflector.port() + Reflector.FANOUT_PATH;
            ClientSettings client = new ClientSettings(Target.parse(url), Transport.choose("auto"), 2,
                    SourceAddresses.kernelChosen(), Duration.ofSeconds(2), Duration.ofSeconds(1));
            FanoutResult result = FanoutRun.run(settings(client, FanoutProtocol.WEBSOCKET, 50, 3, 0, 8), Progress.SILENT);

            assertThat(result.errors().total()).as(result.errors().first()).isZero();
            assertThat(result.totals().received()).isPositive().isEqualTo(result.totals().sent() * 50);
            assertThat(result.totals().cleanCloses()).isEqualTo(53);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DROP, lost", "REORDER, reordered", "DUPLICATE, duplicated"})
    void theReflectorBrokenOnPurposeFailsTheRun(Reflector.Fault fault, String counter) {
        int subscribers = 4;
        try (Reflector reflector = Reflector.start(new InetSocketAddress("127.0.0.1", 0), Transport.choose("auto"), 1, fault)) {
            String url = "ws://127.0.0.1:" + reflector.port() + Reflector.FANOUT_PATH;
            FanoutResult result = FanoutRun.run(settings(Runs.client(url), FanoutProtocol.WEBSOCKET, subscribers, 1, 500, 0),
                    Progress.SILENT);

            assertThat(result.totals().sent()).isGreaterThan(Reflector.FAULTY_MESSAGE);
            assertThat(result.passed()).isFalse();
            // Message 20 of the one publisher, broken for every subscriber.
            assertThat(result.errors().byKind()).anySatisfy((kind, count) -> {
                assertThat(kind.key).isEqualTo(counter);
                assertThat(count).isEqualTo(subscribers);
            });
            assertThat(result.errors().total()).as(result.errors().first()).isEqualTo(subscribers);
        }
    }

    @Test
    void theCommandLinePrintsATableAndAResultLine() {
        try (TestFanoutServer server = new TestFanoutServer(TestFanoutServer.Fault.NONE, false)) {
            Cli cli = Cli.run("fanout", "--url", server.url(), "--subscribers", "4", "--publishers", "2", "--size", "100",
                    "--binary", "--duration", "500ms", "--warmup", "100ms", "--no-progress");

            assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
            assertThat(cli.out()).contains("deliveries/s", "publish to each delivery", "PASS");
            assertThat(cli.resultJson()).startsWith("{\"mode\":\"fanout\"").contains("\"protocol\":\"websocket\"",
                    "\"subscribers\":4", "\"publishers\":2", "\"in_flight\":16", "\"type\":\"binary\"", "\"passed\":true");
            assertThat(cli.resultNumber("delivered")).isPositive().isEqualTo(cli.resultNumber("expected"));
        }
    }

    @Test
    void messagesTooSmallForTheHeaderAreRefused() {
        Cli cli = Cli.run("fanout", "--url", "ws://127.0.0.1:9/fanout", "--size", "31", "--no-progress");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("--size must be at least 32");
        cli = Cli.run("fanout", "--url", "ws://127.0.0.1:9/socket.io/", "--protocol", "socketio", "--binary", "--no-progress");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("drop --binary");
    }
}
