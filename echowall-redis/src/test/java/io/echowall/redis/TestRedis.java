package io.echowall.redis;

import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server for a test, on a free loopback port, that can be killed and started again on the
 * same port. Its binary comes from the embedded-redis artifact (Redis 6.2, no install needed), or from a
 * {@code redis-server} on the PATH where the artifact has none for this machine or a test needs Redis 7.
 */
final class TestRedis implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(15);

    private final File binary;
    private final int port;
    private final List<String> extra;
    private final Path dir;
    private Process process;

    private TestRedis(File binary, int port, List<String> extra) throws IOException {
        this.binary = binary;
        this.port = port;
        this.extra = extra;
        this.dir = Files.createTempDirectory("echowall-redis-" + port + "-");
    }

    /** A standalone Redis, started. */
    static TestRedis start() {
        return start(embeddedOrSystem(), freePort(), List.of());
    }

    /** A Redis run from {@code binary} on {@code port} with {@code extra} settings, started. */
    static TestRedis start(File binary, int port, List<String> extra) {
        try {
            TestRedis redis = new TestRedis(binary, port, extra);
            redis.restart();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The embedded artifact's redis-server, or the system's when the artifact has none for this machine. */
    static File embeddedOrSystem() {
        try {
            File file = ExecutableProvider.newJarResourceProvider().get();
            if (file.canExecute() || file.setExecutable(true)) {
                return file;
            }
        } catch (IOException | RuntimeException e) {
            // no binary for this OS or architecture in the artifact: try the system's
        }
        File system = system();
        if (system == null) {
            throw new IllegalStateException("no redis-server: the embedded-redis artifact has none for this machine and none is on the PATH");
        }
        return system;
    }

    /** The redis-server on the PATH, or null. */
    static File system() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, "redis-server");
            if (candidate.canExecute()) {
                return candidate;
            }
        }
        return null;
    }

    /** The major version of the Redis in {@code binary}. */
    static int majorVersion(File binary) {
        try {
            Process p = new ProcessBuilder(binary.getPath(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            int v = out.indexOf("v=");
            return v < 0 ? 0 : Integer.parseInt(out.substring(v + 2, out.indexOf('.', v)));
        } catch (IOException | RuntimeException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server (again, on the same port) and waits until it answers. */
    synchronized void restart() {
        List<String> command = new ArrayList<>(List.of(binary.getPath(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(extra);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + START.toNanos();
        while (!answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server on port " + port + " did not start: " + log());
            }
            Thread.onSpinWait();
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS); // paces the polling; returns early if it died
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Kills the server without warning, and waits until it is gone. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int n = socket.getInputStream().read(reply);
            return n > 0 && reply[0] == '+';
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    int port() {
        return port;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        kill();
    }
}
