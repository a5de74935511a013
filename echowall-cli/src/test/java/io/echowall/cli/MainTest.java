package io.echowall.cli;

import io.echowall.Echowall;
import io.echowall.demo.EchoWall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code echowall} command line as a user runs it: its help, and the load generator and the
 * conformance suite answering exactly as they do on their own.
 */
@Timeout(60)
class MainTest {

    /** What one run left: its exit status and what picocli printed. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run echowall(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(Main.class)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static int alone(Object command, String... args) {
        return new CommandLine(command)
                .setOut(new PrintWriter(new StringWriter(), true))
                .setErr(new PrintWriter(new StringWriter(), true))
                .execute(args);
    }

    @Test
    void helpListsEveryCommandOnALineOfItsOwn() {
        Run help = echowall("--help");

        assertThat(help.exitCode()).isZero();
        String commands = help.out().substring(help.out().indexOf("Commands:"));
        assertThat(commands.lines().skip(1).map(line -> line.trim().split("\\s{2,}")))
                .allSatisfy(nameAndSummary -> assertThat(nameAndSummary).hasSize(2))
                .map(nameAndSummary -> nameAndSummary[0])
                .containsExactly("serve", "new", "bench", "conformance", "help");
    }

    @Test
    void serveRefusesAStyleItDoesNotKnow() {
        Run run = echowall("serve", "--style", "fast");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("expected blocking, listener or event-loop, not 'fast'");
    }

    @Test
    void benchAnswersAsTheLoadGeneratorDoesAlone() {
        assertThat(echowall("bench").exitCode()).isEqualTo(2).isEqualTo(alone(new io.echowall.bench.BenchCommand()));
        assertThat(echowall("bench", "--help").out()).contains("Usage: echowall bench", "echo", "rate", "connect", "idle");
    }

    @Test
    void conformanceAnswersAsTheSuiteDoesAlone(@TempDir Path reports) throws Exception {
        try (Echowall app = EchoWall.create(EchoWall.Style.BLOCKING, c -> c.withHost("127.0.0.1"))) {
            app.start(0);
            String[] args = {"conformance", "ws://127.0.0.1:" + app.port() + "/foobar/", "--cases", "1.1.*",
                "--report-dir", reports.toString()};

            assertThat(echowall(args).exitCode()).isZero();
            assertThat(reports.resolve("conformance.md")).content().contains("| 1.1.1 |");
        }
    }

    @Test
    void conformanceExitCodesAreTheSuites(@TempDir Path reports) throws Exception {
        int port;
        try (var closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        String[] nobody = {"ws://127.0.0.1:" + port + "/", "--timeout", "500ms", "--report-dir", reports.toString()};

        assertThat(echowall(prepend("conformance", nobody)).exitCode())
                .isEqualTo(io.echowall.conformance.Main.SERVER_UNAVAILABLE)
                .isEqualTo(alone(new io.echowall.conformance.Main(), nobody));
        assertThat(echowall("conformance").exitCode()).isEqualTo(2).isEqualTo(alone(new io.echowall.conformance.Main()));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
