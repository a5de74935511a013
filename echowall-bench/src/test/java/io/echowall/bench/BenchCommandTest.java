package io.echowall.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class BenchCommandTest {

    @Test
    void listsItsModes() {
        Cli cli = Cli.run("--help");
        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).contains("echo", "rate", "connect", "idle", "reflect");
    }

    @Test
    void withoutAModeItSaysWhatToChoose() {
        Cli cli = Cli.run();
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("choose a mode");
    }

    @Test
    void theReflectorServesForItsDurationAndStops() {
        Cli cli = Cli.run("reflect", "--duration", "200ms");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("reflecting on ws://127.0.0.1:").contains("(any path)", "pid");
    }

    @Test
    void aBadSettingExitsWithTwoAndSaysWhy() {
        Cli cli = Cli.run("echo", "--url", "ws://127.0.0.1:9/", "--in-flight", "0", "--no-progress");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("--in-flight must be");
    }

    @Test
    void aServerThatIsNotThereFailsTheRun() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Cli cli = Cli.run("echo", "--url", "ws://127.0.0.1:" + closedPort + "/foobar/", "--connections", "2", "--no-progress");
        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err()).contains("0 of 2 connections opened");
    }
}
