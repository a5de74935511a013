package io.echowall.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.echowall.conformance.FixtureServer.Config;
import io.echowall.conformance.FixtureServer.Flaw;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's options and exit codes, against the fixture on 127.0.0.1. */
@Timeout(120)
class MainTest {

    private static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Test
    void exitsZeroAndWritesTheReportWhenNothingFails(@TempDir Path reports) throws Exception {
        try (var server = FixtureServer.start(Config.strict())) {
            assertThat(run(server.uri().toString(), "--cases", "1.1.*,7.7.1", "--report-dir", reports.toString())).isZero();
            assertThat(reports.resolve(Report.MARKDOWN_FILE)).content().contains("| 7.7.1 |");
            assertThat(reports.resolve(Report.JSON_FILE)).exists();
        }
    }

    @Test
    void exitsOneWhenACaseFails(@TempDir Path reports) throws Exception {
        try (var server = FixtureServer.start(Config.strict().with(Flaw.ACCEPT_ANY_CLOSE_CODE))) {
            assertThat(run(server.uri().toString(), "--cases", "7.9.1", "--timeout", "1s", "--report-dir", reports.toString()))
                    .isEqualTo(Main.CASES_FAILED);
        }
    }

    @Test
    void exitsThreeWhenNothingListens(@TempDir Path reports) throws Exception {
        int port;
        try (var closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertThat(run("ws://127.0.0.1:" + port + "/", "--timeout", "500ms", "--report-dir", reports.toString()))
                .isEqualTo(Main.SERVER_UNAVAILABLE);
    }

    @Test
    void exitsTwoOnBadArguments() {
        assertThat(run("ws://127.0.0.1:1/", "--timeout", "soon")).isEqualTo(2);
        assertThat(run("ws://127.0.0.1:1/", "--max-message-size", "huge")).isEqualTo(2);
        assertThat(run()).isEqualTo(2);
    }

    @Test
    void readsSizesAndDurations() {
        assertThat(new Main.SizeConverter().convert("4m")).isEqualTo(4L << 20);
        assertThat(new Main.SizeConverter().convert("64K")).isEqualTo(64L << 10);
        assertThat(new Main.LimitConverter().convert("none")).isEqualTo(Options.NO_LIMIT);
        assertThat(new Main.DurationConverter().convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(new Main.DurationConverter().convert("250ms")).isEqualTo(Duration.ofMillis(250));
    }
}
