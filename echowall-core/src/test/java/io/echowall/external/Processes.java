package io.echowall.external;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/** Runs and stops the external processes of interoperability tests, every wait bounded. */
public final class Processes {

    /** What a finished process left: its exit code and its output. */
    public record Result(int exitCode, String stdout, String stderr) {

        /** The output, for failure messages. */
        public String describe() {
            return "exit code " + exitCode + "\n--- stdout\n" + tail(stdout) + "\n--- stderr\n" + tail(stderr);
        }
    }

    private Processes() {
    }

    /**
     * Runs {@code command} in {@code directory} with no input and waits for it, up to {@code timeout};
     * a process still running then is stopped and the test fails.
     */
    public static Result run(List<String> command, Path directory, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("echowall-process-", ".out");
        Path err = Files.createTempFile("echowall-process-", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process.toHandle(), Duration.ofSeconds(5));
                fail(String.join(" ", command) + " did not finish within " + timeout + "\n--- stdout\n"
                        + tail(Files.readString(out, StandardCharsets.UTF_8)) + "\n--- stderr\n"
                        + tail(Files.readString(err, StandardCharsets.UTF_8)));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Stops {@code process} and the processes it started, by their PIDs: politely first, then, after
     * {@code grace}, forcibly.
     */
    public static void stop(ProcessHandle process, Duration grace) {
        // Listed before the parent goes: once it has, its children are no longer its descendants.
        List<ProcessHandle> family = process.descendants().toList();
        process.destroy();
        family.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : concat(process, family)) {
            long left = deadline - System.nanoTime();
            try {
                p.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    private static List<ProcessHandle> concat(ProcessHandle first, List<ProcessHandle> rest) {
        var all = new ArrayList<ProcessHandle>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** The last few thousand characters of {@code s}. */
    public static String tail(String s) {
        return s.length() <= 4000 ? s : "…" + s.substring(s.length() - 4000);
    }
}
