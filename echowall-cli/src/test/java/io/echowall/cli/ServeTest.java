package io.echowall.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code echowall serve} in a JVM of its own, as the launcher runs it: it prints its URL, serves the
 * echo wall's page there, and stops gracefully on SIGTERM (Ctrl-C does the same).
 */
@Timeout(60)
class ServeTest {

    private static final Pattern READY = Pattern.compile("Echo wall running at (http://127\\.0\\.0\\.1:\\d+/) ");

    @Test
    void servesThePageAndStopsOnSigterm() throws Exception {
        Process serve = serve("0");
        try (var output = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            Matcher ready = null;
            for (String line; ready == null && (line = output.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = READY.matcher(line);
                ready = m.find() ? m : null;
            }
            assertThat(ready).as("serve printed no URL:\n%s", seen).isNotNull();

            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(ready.group(1))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("/foobar/");

            serve.toHandle().destroy(); // SIGTERM; Process.destroy() would also close the output we read
            String rest = output.lines().collect(Collectors.joining("\n")); // ends when the process does
            assertThat(rest).contains("Echowall stopped in");
            assertThat(serve.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(seen.toString()).contains("Echowall serving http://127.0.0.1:");
        } finally {
            serve.destroyForcibly();
        }
    }

    @Test
    void aPortInUseIsSaidInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process serve = serve(String.valueOf(taken.getLocalPort()));
            try {
                String output = new String(serve.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(serve.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(serve.exitValue()).isEqualTo(1);
                assertThat(output).contains("echowall: port " + taken.getLocalPort() + " is in use")
                        .doesNotContain("\tat ").doesNotContain("Exception");
            } finally {
                serve.destroyForcibly();
            }
        }
    }

    private static Process serve(String port) throws IOException {
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port", port);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
