package io.echowall.abuse;

import io.echowall.testing.RawWebSocket;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * An {@link AbuseTarget} running in a JVM of its own (128 MiB of heap, 128 MiB of direct memory),
 * with what the tests observe of it from outside: its port, its memory, the TCP sockets it holds
 * open and its log. Stopping it sends SIGTERM, then SIGKILL if it lingers.
 */
public final class Target {

    private static final Pattern READY = Pattern.compile(Pattern.quote(AbuseTarget.READY) + "(\\d+)");
    // OutOfDirectMemoryError (Netty) and OutOfMemoryError (JDK) alike.
    private static final Pattern OUT_OF_MEMORY = Pattern.compile("OutOf\\w*MemoryError");
    private static final Path LOGS = Path.of(System.getProperty("basedir", "."), "target", "abuse-logs");
    private static final AtomicInteger COUNT = new AtomicInteger();

    static {
        deleteOldLogs(); // the logs are numbered per test run: an earlier run's must not mix in
    }

    /** Keepalive ping interval, in seconds, of a target started without one. */
    static final int DEFAULT_PING_SECONDS = 2;

    private final Process process;
    private final Path log;
    private final int port;
    private final int listeningSockets;

    private Target(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.listeningSockets = openSockets();
    }

    /** Starts a target with endpoints in {@code style}, permessage-deflate on or off, pinging every 2 s. */
    public static Target start(String name, HandlerStyle style, boolean deflate) {
        return start(name, style, deflate, DEFAULT_PING_SECONDS);
    }

    /** Starts a target that pings a quiet peer every {@code pingSeconds}; waits until it listens. */
    public static Target start(String name, HandlerStyle style, boolean deflate, int pingSeconds) {
        try {
            Files.createDirectories(LOGS);
            Path log = LOGS.resolve(COUNT.incrementAndGet() + "-" + name + "-" + style
                    + (deflate ? "-deflate" : "") + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:MaxDirectMemorySize=128m"));
            if (Runtime.version().feature() >= 24) {
                // Netty's fast paths on JDK 24+, as the launcher sets them for the real server.
                command.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"));
            }
            command.addAll(List.of("-cp", classPath(), AbuseTarget.class.getName(),
                    style.name(), deflate ? "deflate" : "plain", Integer.toString(pingSeconds)));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                return new Target(process, log, awaitPort(process, log));
            } catch (RuntimeException | Error e) {
                process.destroyForcibly();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteOldLogs() {
        if (!Files.isDirectory(LOGS)) {
            return;
        }
        try (Stream<Path> logs = Files.list(LOGS)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.delete(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Surefire runs tests from a manifest-only jar and passes the real class path in this property. */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static int awaitPort(Process process, Path log) {
        int[] port = new int[1];
        await("the target to print its port").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the target exited with " + process.exitValue() + ":\n"
                                + Files.readString(log, StandardCharsets.ISO_8859_1));
                    }
                    Matcher ready = READY.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
                    if (ready.find()) {
                        port[0] = Integer.parseInt(ready.group(1));
                        return true;
                    }
                    return false;
                });
        return port[0];
    }

    /** The port the target listens on, at 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The target's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the target is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The target's exit code, once it exited. */
    public int exitValue() {
        return process.exitValue();
    }

    /** The target's log: standard output and error. */
    public Path log() {
        return log;
    }

    /** The process, to signal it. */
    public Process process() {
        return process;
    }

    /** The sockets the target held right after it started listening: its server socket. */
    public int listeningSockets() {
        return listeningSockets;
    }

    /**
     * The target's memory, asked over HTTP (which runs two full GCs first) on a connection of its own
     * that the target closes after answering: nothing stays open to skew {@link #openSockets()}.
     */
    public Memory memory() throws IOException {
        return Memory.parse(get("/memory"));
    }

    /**
     * How the target's room connections ({@code /room/{room}}) closed so far: the number of closes by
     * {@code "room code reason"}, as the server's {@code onClose} saw them.
     */
    public Map<String, Long> roomCloses() throws IOException {
        Map<String, Long> closes = new TreeMap<>();
        for (String line : get("/room-closes").split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                closes.put(line.substring(space + 1), Long.parseLong(line.substring(0, space)));
            }
        }
        return closes;
    }

    /** The body of {@code GET path}, on a connection of its own that the target closes after answering. */
    private String get(String path) throws IOException {
        // RawWebSocket.send is a raw HTTP exchange: the request as written, the response as it comes.
        try (RawWebSocket exchange = RawWebSocket.send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close\r\n\r\n")) {
            RawWebSocket.Response response = exchange.response();
            if (response.status() != 200) {
                throw new IOException("GET " + path + " answered " + response.status());
            }
            return response.body();
        }
    }

    /**
     * The TCP sockets the target holds open, counted in {@code /proc/PID/fd}: a connection counts until
     * the server really closed it, whatever its API believes.
     */
    public int openSockets() {
        Path fds = Path.of("/proc", Long.toString(process.pid()), "fd");
        try (Stream<Path> links = Files.list(fds)) {
            return (int) links.filter(Target::isSocket).count();
        } catch (NoSuchFileException gone) {
            return 0; // the process exited: it holds nothing
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The inode of the target's socket for the TCP connection from the client's local port
     * {@code clientPort}, read from the kernel's connection tables; empty if there is none.
     */
    public OptionalLong connectionInode(int clientPort) throws IOException {
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(process.pid()), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            // Columns: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length > 9 && columns[1].endsWith(":" + hexPort(port))
                        && columns[2].endsWith(":" + hexPort(clientPort))) {
                    long inode = Long.parseLong(columns[9]);
                    if (inode != 0) {
                        return OptionalLong.of(inode);
                    }
                }
            }
        }
        return OptionalLong.empty();
    }

    private static String hexPort(int port) {
        return String.format(Locale.ROOT, "%04X", port);
    }

    /** Whether the target still has the socket {@code inode} open: it has not closed that connection. */
    public boolean holdsSocket(long inode) {
        String link = "socket:[" + inode + "]";
        Path fds = Path.of("/proc", Long.toString(process.pid()), "fd");
        try (Stream<Path> links = Files.list(fds)) {
            return links.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(link);
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            });
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isSocket(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (IOException closedMeanwhile) {
            return false;
        }
    }

    /** Whether the log mentions an {@code OutOfMemoryError} (or Netty's {@code OutOfDirectMemoryError}). */
    public boolean logShowsOutOfMemoryError() throws IOException {
        try (BufferedReader lines = Files.newBufferedReader(log, StandardCharsets.ISO_8859_1)) {
            return lines.lines().anyMatch(line -> OUT_OF_MEMORY.matcher(line).find());
        }
    }

    /** Waits up to {@code timeout} for the target to exit; whether it did. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the target: SIGTERM (a graceful stop), then SIGKILL if it is still there after 3 s. */
    public void stop() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(Duration.ofSeconds(3))) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(5));
        }
    }

    @Override
    public String toString() {
        return "target pid " + pid() + " port " + port + " (log " + log + ")";
    }
}
