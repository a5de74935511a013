package io.echowall.demo;

import io.echowall.external.Processes;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium started for one test class, with a fresh profile, DevTools on a free loopback
 * port, and its output in a log file; {@link #close()} stops it and its helper processes by PID and
 * deletes the profile.
 */
final class Chromium implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path directory;
    private final Path log;
    private final URI devTools;

    private Chromium(Process process, Path directory, Path log, URI devTools) {
        this.process = process;
        this.directory = directory;
        this.log = log;
        this.devTools = devTools;
    }

    /** Starts {@code executable} headless and waits, up to 30 s, for its DevTools endpoint. */
    static Chromium launch(Path executable) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("echowall-chromium-");
        Path profile = Files.createDirectory(directory.resolve("profile"));
        Path log = directory.resolve("chromium.log");
        // Flags that work as root on a machine with no network besides loopback and no display.
        List<String> command = List.of(executable.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "about:blank");
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Chromium chromium = null;
        try {
            chromium = new Chromium(process, directory, log, awaitDevTools(process, log));
            return chromium;
        } finally {
            if (chromium == null) {
                Processes.stop(process.toHandle(), Duration.ofSeconds(5));
                deleteRecursively(directory);
            }
        }
    }

    private static URI awaitDevTools(Process process, Path log) {
        AtomicReference<URI> found = new AtomicReference<>();
        Awaitility.await("Chromium's DevTools").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .failFast("Chromium exited before DevTools listened", () -> !process.isAlive())
                .until(() -> {
                    Matcher m = DEVTOOLS.matcher(Files.readString(log, StandardCharsets.UTF_8));
                    if (m.find()) {
                        found.set(URI.create(m.group(1)));
                    }
                    return found.get() != null;
                });
        return found.get();
    }

    /** The browser's DevTools WebSocket endpoint. */
    URI devTools() {
        return devTools;
    }

    /** What Chromium printed so far, for failure messages. */
    String log() {
        try {
            return Processes.tail(Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the browser and its helper processes by PID, then deletes the profile. */
    @Override
    public void close() throws IOException {
        Processes.stop(process.toHandle(), Duration.ofSeconds(10));
        deleteRecursively(directory);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
