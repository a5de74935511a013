package io.echowall.client;

import io.echowall.external.ExternalPrograms;
import io.echowall.external.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the unit tests of the browser client, {@code echowall.js}: the {@code *.test.mjs} files of
 * {@code src/test/js}, with Node's own test runner ({@code node --test}), and fails with Node's output
 * when any of them fails.
 *
 * <p>Needs {@code node} (20 or newer) on the PATH: without it the test is skipped, unless
 * {@code ECHOWALL_REQUIRE_NODE=1} makes that a failure.
 */
@Timeout(180)
class EchowallJsTest {

    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(2);

    @Test
    void theClientsUnitTestsPassUnderNode() throws IOException, InterruptedException {
        Path node = ExternalPrograms.onPath("node", ExternalPrograms.REQUIRE_NODE,
                "node not found on the PATH; install Node.js 20 or newer to run echowall.js's unit tests");
        Path tests = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("src/test/js");
        List<String> files;
        try (Stream<Path> listed = Files.list(tests)) {
            files = listed.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".test.mjs")).sorted().toList();
        }
        assertThat(files).as("the client's tests in %s", tests).isNotEmpty();

        // The files are named, not found by Node: its search rules differ between versions. The spec
        // reporter ends with the failures, which is the part of the output a failure message keeps.
        List<String> command = new ArrayList<>(List.of(node.toString(), "--test", "--test-reporter=spec"));
        command.addAll(files);
        var run = Processes.run(command, tests, NODE_TIMEOUT);

        assertThat(run.exitCode()).as("node --test in %s\n%s", tests, run.describe()).isZero();
    }
}
