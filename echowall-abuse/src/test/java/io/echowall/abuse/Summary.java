package io.echowall.abuse;

import org.opentest4j.MultipleFailuresError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one line each attack prints, {@code ABUSE <attack> key=value … outcome=…}, so that runs can be
 * compared by collecting these lines from the build output (or from {@code target/abuse-summary.txt},
 * where they are appended too).
 */
final class Summary {

    /** An attack's body, which fills in the summary as it measures. */
    @FunctionalInterface
    interface Attack {
        void run(Summary summary) throws Exception;
    }

    private static final Path FILE = Path.of(System.getProperty("basedir", "."), "target", "abuse-summary.txt");
    private static final int MAX_FAILURE_LENGTH = 800;
    private static final int MAX_PART_LENGTH = 160;

    private static boolean fileStarted; // the first line of this test run replaces an earlier run's file

    private final String attack;
    private final Map<String, String> figures = new LinkedHashMap<>();

    private Summary(String attack) {
        this.attack = attack;
    }

    /**
     * Runs {@code body} and prints its summary line, with {@code outcome=pass} or the failure (on one
     * line), before passing any failure on to JUnit.
     */
    static void run(String attack, Attack body) throws Exception {
        Summary summary = new Summary(attack);
        String outcome = "FAIL";
        try {
            body.run(summary);
            outcome = "pass";
        } catch (Exception | Error e) {
            outcome = "FAIL: " + oneLine(e);
            throw e;
        } finally {
            summary.print(outcome);
        }
    }

    /** Records a figure; a later value for the same key replaces it. */
    void put(String key, Object value) {
        figures.put(key, String.valueOf(value));
    }

    /** Median and maximum of {@code millis} as {@code median/max ms (n=N)}, or {@code none}. */
    static String millis(List<Long> millis) {
        if (millis.isEmpty()) {
            return "none";
        }
        List<Long> sorted = new ArrayList<>(millis);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2) + "/" + sorted.getLast() + "ms(n=" + sorted.size() + ")";
    }

    private static synchronized void append(String line) throws IOException {
        Files.createDirectories(FILE.getParent());
        Files.writeString(FILE, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                fileStarted ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        fileStarted = true;
    }

    private void print(String outcome) {
        StringBuilder line = new StringBuilder("ABUSE ").append(attack);
        figures.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        line.append(" outcome=").append(outcome);
        System.out.println(line);
        try {
            append(line.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The failure on one line; for soft assertions, each failure shortened, without its stack. */
    private static String oneLine(Throwable t) {
        String flat;
        if (t instanceof MultipleFailuresError multiple) {
            flat = multiple.getFailures().stream()
                    .map(f -> shorten(flatten(String.valueOf(f.getMessage())), MAX_PART_LENGTH))
                    .collect(Collectors.joining(" ; ", multiple.getFailures().size() + " failures: ", ""));
        } else {
            flat = t.getClass().getSimpleName() + ": " + flatten(String.valueOf(t.getMessage()));
        }
        return shorten(flat, MAX_FAILURE_LENGTH);
    }

    private static String flatten(String message) {
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static String shorten(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "…" : text;
    }
}
