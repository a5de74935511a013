package io.echowall;

import io.echowall.testing.RawWebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's app in a JVM of its own, with no shutdown hook of its own: SIGTERM still stops it
 * gracefully (200 clients, each echoing, each closed with 1001), and an app without an SLF4J provider is told so at once.
 */
@Timeout(60)
class ShutdownHookTest {

    private static final String READY = "user app listening on ";
    private static final int CLIENTS = 200;

    /** The app under test: an echo, started the way the getting-started guide starts one. */
    public static final class UserApp {
        public static void main(String[] args) throws InterruptedException {
            var app = Echowall.create(c -> c.withHost("127.0.0.1"));
            app.ws("/echo", ws -> {
                for (var message : ws) {
                    ws.send(message);
                }
            });
            app.start(0);
            System.out.println(READY + app.port());
            Thread.sleep(Duration.ofSeconds(50)); // the test ends it long before
        }
    }

    @Test
    void sigtermClosesEveryClientWith1001() throws Exception {
        Process process = launch(System.getProperty("java.class.path"));
        List<RawWebSocket> clients = new ArrayList<>();
        try (var output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            int port = awaitPort(output);
            for (int i = 0; i < CLIENTS; i++) {
                RawWebSocket client = RawWebSocket.open(port, "/echo");
                client.readTimeout(10_000);
                clients.add(client);
                client.sendText("before " + i);
            }
            for (int i = 0; i < CLIENTS; i++) {
                assertThat(clients.get(i).read().text()).isEqualTo("before " + i);
            }
            process.toHandle().destroy(); // SIGTERM
            for (RawWebSocket client : clients) {
                assertThat(client.readClose().closeCode()).isEqualTo(1001);
            }
            String rest = output.lines().collect(Collectors.joining("\n")); // ends when the process does
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("exit status after SIGTERM").isEqualTo(143);
            assertThat(rest).doesNotContain("no SLF4J provider");
        } finally {
            for (RawWebSocket client : clients) {
                client.close();
            }
            process.destroyForcibly();
        }
    }

    @Test
    void anAppThatCannotLogIsToldSo() throws Exception {
        String withoutLogback = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("logback"))
                .collect(Collectors.joining(File.pathSeparator));
        Process process = launch(withoutLogback);
        try (var output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            awaitPort(output, seen);
            assertThat(seen.toString()).contains("echowall: no SLF4J provider is on the class path");
        } finally {
            process.destroyForcibly();
        }
    }

    private static Process launch(String classPath) throws IOException {
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp", classPath,
                UserApp.class.getName());
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static int awaitPort(BufferedReader output) throws IOException {
        return awaitPort(output, new StringBuilder());
    }

    private static int awaitPort(BufferedReader output, StringBuilder seen) throws IOException {
        for (String line; (line = output.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.startsWith(READY)) {
                return Integer.parseInt(line.substring(READY.length()).trim());
            }
        }
        throw new AssertionError("the app ended without listening:\n" + seen);
    }
}
