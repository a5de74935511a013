package io.echowall.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class ServerCpuTest {

    @Test
    void readsUserAndSystemTimeAfterANameWithSpacesAndParentheses() {
        String stat = "4242 (my (odd) server) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 40 0 0 20 0 33 0 100 0 0";
        assertThat(ServerCpu.ticks(stat)).isEqualTo(290);
    }

    @Test
    void countsTheTimeOfChildProcessesToo() throws IOException, InterruptedException {
        // A shell that keeps a busy child: the shell itself uses next to no CPU, so what is counted is the child's.
        Process shell = new ProcessBuilder("sh", "-c", "sh -c 'i=0; while [ $i -lt 3000000 ]; do i=$((i+1)); done'; exit 0")
                .redirectErrorStream(true).start();
        try {
            long before = ServerCpu.nanos(shell.pid());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long now = before;
            while (now - before < TimeUnit.MILLISECONDS.toNanos(200) && shell.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50); // polls a child's CPU time as it grows
                now = ServerCpu.nanos(shell.pid());
            }
            assertThat(now - before).as("CPU time of the shell's busy child").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        } finally {
            shell.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            shell.children().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void anEchoRunGivenTheServersPidReportsItsCpuPerMessage() {
        try (TestEchoServer server = new TestEchoServer(TestEchoServer.Fault.NONE)) {
            long pid = ProcessHandle.current().pid(); // the test server runs in this JVM
            EchoResult result = EchoRun.run(new EchoSettings(Runs.client(server.url()), 4, 8, new Payload(64, true), Runs.SHORT, pid),
                    Progress.SILENT);

            assertThat(result.passed()).isTrue();
            assertThat(result.serverCpuMicros()).isPositive().isFinite();
            assertThat(result.toJson().toString()).contains("\"server_cpu_us\":");
        }
    }

    @Test
    void withoutAPidTheServersCpuIsNotMeasured() {
        try (TestEchoServer server = new TestEchoServer(TestEchoServer.Fault.NONE)) {
            EchoResult result = EchoRun.run(new EchoSettings(Runs.client(server.url()), 2, 2, new Payload(64, true), Runs.SHORT, null),
                    Progress.SILENT);

            assertThat(result.serverCpuMicros()).isNaN();
            assertThat(result.toJson().toString()).contains("\"server_cpu_us\":null");
        }
    }

    @Test
    void refusesAPidThatCannotBeOne() {
        assertThatThrownBy(() -> new EchoSettings(Runs.client("ws://127.0.0.1:9/"), 1, 1, new Payload(64, true), Runs.SHORT, 0L))
                .isInstanceOf(BenchException.class).hasMessageContaining("--server-pid");
    }
}
