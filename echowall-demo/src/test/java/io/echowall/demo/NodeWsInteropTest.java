package io.echowall.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echowall.CloseStatus;
import io.echowall.external.ExternalPrograms;
import io.echowall.external.Processes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The echo wall against Node's {@code ws} with permessage-deflate offered, in each of the demo's
 * styles, with the server negotiating permessage-deflate and without. The client is
 * {@code interop/client.js}; it checks the echoes itself and reports in JSON, and this test checks
 * that report, what the extension negotiation came to, and the close status the server saw.
 *
 * <p>Needs {@code node} (and {@code npm} to install {@code ws} when {@code interop/node_modules} is
 * missing): without them the test is skipped, unless {@code ECHOWALL_REQUIRE_NODE=1} makes that a failure.
 */
@Timeout(900)
class NodeWsInteropTest {

    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration CLIENT_TIMEOUT = Duration.ofMinutes(5);
    private static final CloseStatus CLIENT_CLOSE = new CloseStatus(4000, "interop done ✓");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMIT = 1 << 20; // EchowallConfig's default maxMessageSize

    private Path node;
    private Path interop;

    /** Finds node, and installs ws with npm the first time if it is not there; each test is skipped (or fails) without them. */
    @BeforeEach
    void installWs() throws Exception {
        node = ExternalPrograms.onPath("node", ExternalPrograms.REQUIRE_NODE,
                "node not found on the PATH; install Node.js and npm to run the ws interop test");
        interop = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("interop");
        assertThat(interop.resolve("client.js")).exists();
        if (!Files.isDirectory(interop.resolve("node_modules/ws"))) {
            Path npm = ExternalPrograms.onPath("npm", ExternalPrograms.REQUIRE_NODE,
                    "npm not found on the PATH; install Node.js and npm to run the ws interop test");
            var installed = Processes.run(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"), interop, NPM_TIMEOUT);
            assertThat(installed.exitCode()).as("npm ci in %s\n%s", interop, installed.describe()).isZero();
        }
    }

    static Stream<Arguments> setups() {
        List<Arguments> setups = new ArrayList<>();
        for (EchoWall.Style style : EchoWall.Style.values()) {
            setups.add(Arguments.of(style, true));
            setups.add(Arguments.of(style, false));
        }
        return setups.stream();
    }

    /** Messages of exactly the limit pass, compressed or not (the limit counts inflated bytes). */
    @ParameterizedTest(name = "{0}, server permessage-deflate {1}")
    @MethodSource("setups")
    void wsClientInteroperates(EchoWall.Style style, boolean deflate) throws Exception {
        try (var server = new DemoServer(style, deflate)) {
            JsonNode report = runClient(server, LIMIT);

            JsonNode runs = report.path("runs");
            assertThat(runs).hasSize(4); // two URLs, each with two deflate offers
            for (JsonNode r : runs) {
                String extensions = r.path("extensions").asText();
                if (deflate) {
                    assertThat(extensions).as("negotiated by %s", r.path("offer")).startsWith("permessage-deflate");
                } else {
                    assertThat(extensions).as("negotiated by %s", r.path("offer")).isEmpty();
                }
                assertThat(r.path("close").path("code").asInt()).isEqualTo(CLIENT_CLOSE.code());
                assertThat(r.path("close").path("reason").asText()).isEqualTo(CLIENT_CLOSE.reason());
            }
            // Both runs against /record closed with the client's code and reason, as the server saw it.
            assertThat(server.recorder.nextClose(Duration.ofSeconds(20))).isEqualTo(CLIENT_CLOSE);
            assertThat(server.recorder.nextClose(Duration.ofSeconds(20))).isEqualTo(CLIENT_CLOSE);
        }
    }

    /** Runs the client against the server's two echo endpoints and checks that it reports success. */
    private JsonNode runClient(DemoServer server, int large) throws Exception {
        var run = Processes.run(List.of(node.toString(), "client.js", "--large=" + large, server.echo().toString(),
                server.recording().toString()), interop, CLIENT_TIMEOUT);
        String[] lines = run.stdout().strip().split("\n");
        JsonNode report;
        try {
            report = JSON.readTree(lines[lines.length - 1]);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the client printed no JSON report\n" + run.describe(), e);
        }
        assertThat(failedChecks(report)).as("failed checks; stderr:\n%s", Processes.tail(run.stderr())).isEmpty();
        assertThat(report.path("ok").asBoolean()).as(run.describe()).isTrue();
        assertThat(run.exitCode()).as(run.describe()).isZero();
        return report;
    }

    /** The checks the client reports as failed, with the run they belong to. */
    private static List<String> failedChecks(JsonNode report) {
        List<String> failed = new ArrayList<>();
        if (report.has("error")) {
            failed.add(report.path("error").asText());
        }
        for (JsonNode run : report.path("runs")) {
            for (JsonNode check : run.path("checks")) {
                if (!check.path("ok").asBoolean()) {
                    failed.add(run.path("url").asText() + " with " + run.path("offer").asText() + ": "
                            + check.path("name").asText() + ": " + check.path("detail").asText());
                }
            }
        }
        return failed;
    }
}
