package io.echowall.demo;

import io.echowall.external.Processes;
import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server for the tests of the demos on several servers, on a free loopback port, with no
 * persistence. Its binary is the one the embedded-redis artifact ships (as in echowall-redis's tests), so
 * nothing need be installed; {@link #close()} stops it by its PID and deletes its directory.
 */
final class TestRedis implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(15);

    private final Process process;
    private final Path directory;
    private final int port;

    private TestRedis(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /** Starts a Redis and waits, up to 15 s, until it answers a PING. */
    static TestRedis start() {
        try {
            File binary = ExecutableProvider.newJarResourceProvider().get();
            if (!binary.canExecute() && !binary.setExecutable(true)) {
                throw new IllegalStateException("cannot make the embedded redis-server executable: " + binary);
            }
            Path directory = Files.createTempDirectory("echowall-demo-redis-");
            int port = freePort();
            Process process = new ProcessBuilder(List.of(binary.getPath(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.toString()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("redis.log").toFile())
                    .start();
            var redis = new TestRedis(process, directory, port);
            try {
                redis.awaitAnswer();
            } catch (RuntimeException | InterruptedException e) {
                redis.close();
                throw e instanceof InterruptedException ? new IllegalStateException(e) : (RuntimeException) e;
            }
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URI a {@code RedisBroker} connects to. */
    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    private void awaitAnswer() throws InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (!answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server on port " + port + " did not start: " + log());
            }
            process.waitFor(20, TimeUnit.MILLISECONDS); // paces the polling; returns early if it died
        }
    }

    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            int first = socket.getInputStream().read();
            return first == '+';
        } catch (IOException notYet) {
            return false;
        }
    }

    private String log() {
        try {
            return Processes.tail(Files.readString(directory.resolve("redis.log"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        Processes.stop(process.toHandle(), Duration.ofSeconds(5));
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind harms nothing.
        }
    }
}
