package io.echowall.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class IdleRunTest {

    @Test
    void holdsExactlyTheConnectionsAskedForOverTwoSourceAddressesAndReadsTheServersMemory() {
        try (TestEchoServer server = new TestEchoServer(TestEchoServer.Fault.NONE)) {
            long pid = ProcessHandle.current().pid();
            IdleSettings settings = new IdleSettings(Runs.client(server.url(), 2), 50, 10,
                    Duration.ofMillis(800), Duration.ofMillis(300), pid);
            IdleResult result = IdleRun.run(settings, Progress.SILENT);

            assertThat(result.errors().total()).as(result.errors().first()).isZero();
            assertThat(result.opened()).isEqualTo(50);
            assertThat(result.held()).isEqualTo(50);
            assertThat(server.handshakes()).isEqualTo(50);
            assertThat(server.clientAddresses()).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3");
            assertThat(result.rssBeforeKib()).isPositive();
            assertThat(result.rssOpenKib()).isPositive();
            assertThat(result.rssSettledKib()).isPositive();
            assertThat(result.kibPerConnection()).isNotNaN();
            assertThat(result.passed()).isTrue();
        }
    }

    @Test
    void theCommandLineReportsMemoryPerConnection() {
        try (TestEchoServer server = new TestEchoServer(TestEchoServer.Fault.NONE)) {
            Cli cli = Cli.run("idle", "--url", server.url(), "--connections", "20", "--hold", "500ms", "--settle", "200ms",
                    "--server-pid", Long.toString(ProcessHandle.current().pid()), "--no-progress");

            assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
            assertThat(cli.resultNumber("held")).isEqualTo(20);
            assertThat(cli.resultNumber("source_addresses")).isEqualTo(1);
            assertThat(cli.resultJson()).contains("\"kib_per_connection\":");
            assertThat(cli.out()).contains("per connection", "KiB");
        }
    }

    @Test
    void refusesMoreConnectionsThanTheFileDescriptorLimitAllows() {
        Cli cli = Cli.run("idle", "--url", "ws://127.0.0.1:9/foobar/", "--connections", "5000000", "--no-progress");

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("file descriptors", "ulimit -n", "--connections");
        assertThat(cli.out()).doesNotContain("RESULT");
    }
}
