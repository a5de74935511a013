package io.echowall.bench;

import io.echowall.bench.TestEchoServer.Fault;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** A server that breaks one message makes the run fail, with the matching error counted. */
@Timeout(60)
class FaultDetectionTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "CORRUPT_BODY,   corrupt",
        "CORRUPT_HEADER, corrupt",
        "DROP,           lost",
        "REORDER,        reordered",
        "DUPLICATE,      duplicated",
        "CLOSE,          closed_by_server"})
    void theRunFailsWithTheMatchingErrorCounted(Fault fault, String errorKey) {
        try (TestEchoServer server = new TestEchoServer(fault)) {
            Cli cli = Cli.run("echo", "--url", server.url(), "--connections", "2", "--in-flight", "4",
                    "--size", "64", "--binary", "--duration", "600ms", "--warmup", "0s", "--drain-timeout", "300ms",
                    "--no-progress");

            assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(1);
            assertThat(cli.resultNumber(errorKey)).isPositive();
            assertThat(cli.resultJson()).contains("\"passed\":false");
            assertThat(cli.out()).contains("FAIL");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"CORRUPT_BODY, corrupt", "DROP, lost", "DUPLICATE, duplicated"})
    void theRateModeChecksEchoesToo(Fault fault, String errorKey) {
        try (TestEchoServer server = new TestEchoServer(fault)) {
            Cli cli = Cli.run("rate", "--url", server.url(), "--rate", "500", "--connections", "2",
                    "--size", "64", "--duration", "400ms", "--warmup", "0s", "--drain-timeout", "300ms", "--no-progress");

            assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(1);
            assertThat(cli.resultNumber(errorKey)).isPositive();
        }
    }
}
