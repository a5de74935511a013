package io.echowall.demo;

import io.echowall.external.Processes;
import io.echowall.redis.RedisBroker;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The demo app on a Redis, in a JVM of its own, so that a test can kill it as a crash would (SIGKILL,
 * by its PID) or stop it as a deploy does (SIGTERM, which the app's shutdown hook turns into a graceful
 * stop), and start it again on the same port. {@link #main} is what runs in that JVM:
 * {@code DemoProcess port redisUri}; it prints {@code PORT n} once it listens.
 */
final class DemoProcess implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(20);

    private final Process process;
    private final Path log;
    private final int port;

    private DemoProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the demo on {@code port} (0: a free one) with its rooms on {@code redis}, and waits until it listens. */
    static DemoProcess start(TestRedis redis, int port) {
        try {
            Path log = Files.createTempFile("echowall-demo-process-", ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    DemoProcess.class.getName(), Integer.toString(port), redis.uri()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(log.toFile())
                    .start();
            try {
                return new DemoProcess(process, log, listening(process).get(START.toSeconds(), TimeUnit.SECONDS));
            } catch (Exception e) {
                Processes.stop(process.toHandle(), STOP);
                throw new IllegalStateException("the demo did not start on port " + port + ": "
                        + Processes.tail(Files.readString(log, StandardCharsets.UTF_8)), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port from the process's {@code PORT n} line; its output is read to the end, so it never blocks on it. */
    private static CompletableFuture<Integer> listening(Process process) {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofVirtual().name("demo-process-output").start(() -> {
            try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("PORT ")) {
                        port.complete(Integer.parseInt(line.substring(5).trim()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("the process ended before it listened"));
        });
        return port;
    }

    int port() {
        return port;
    }

    /** The URL of the page at {@code path}. */
    URI page(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Kills the process at once, as a crash would: SIGKILL, by its PID; nothing of it is closed politely. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        awaitExit();
    }

    /** Asks the process to end (SIGTERM, by its PID), as a deploy does: the app stops gracefully. */
    void terminate() throws InterruptedException {
        process.destroy();
        awaitExit();
    }

    private void awaitExit() throws InterruptedException {
        if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the demo did not end within " + STOP + " of its signal");
        }
    }

    /** What the process wrote to stderr, its end. */
    String log() {
        try {
            return Processes.tail(Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        Processes.stop(process.toHandle(), STOP);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // A temporary file left behind harms nothing.
        }
    }

    /** Runs the demo with its rooms on a Redis: {@code DemoProcess port redisUri}; prints {@code PORT n}. */
    public static void main(String[] args) throws InterruptedException {
        var broker = RedisBroker.connect(args[1]);
        var app = EchoWall.create(EchoWall.Style.BLOCKING, c -> c.withHost("127.0.0.1").withBroker(broker)
                .withPresenceGrace(Duration.ofSeconds(1)));
        app.start(Integer.parseInt(args[0]));
        System.out.println("PORT " + app.port());
        System.out.flush();
        new CountDownLatch(1).await(); // until the test kills or stops this JVM
    }
}
