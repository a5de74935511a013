package io.echowall.conformance;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The results of one run against one server, with the counts, a summary line, and Markdown and JSON renderings.
 *
 * @param target  the server's URL
 * @param started when the run began
 * @param elapsed how long the run took
 * @param results one result per case, in case order
 */
public record Report(URI target, Instant started, Duration elapsed, List<CaseResult> results) {

    /** The file names {@link #writeTo} uses inside the report directory. */
    public static final String MARKDOWN_FILE = "conformance.md";
    public static final String JSON_FILE = "conformance.json";

    /** Copies the result list. */
    public Report {
        results = List.copyOf(results);
    }

    public Counts counts() {
        return new Counts(results.size(), count(Outcome.PASS), count(Outcome.NON_STRICT), count(Outcome.FAIL),
                count(Outcome.UNSUPPORTED));
    }

    private int count(Outcome outcome) {
        return (int) results.stream().filter(r -> r.outcome() == outcome).count();
    }

    /** The result of one case, if it ran. */
    public Optional<CaseResult> result(String caseId) {
        return results.stream().filter(r -> r.id().equals(caseId)).findFirst();
    }

    /** The results with this outcome. */
    public List<CaseResult> withOutcome(Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).toList();
    }

    /** e.g. {@code conformance ws://127.0.0.1:5000/foobar/: 312 cases, 312 PASS, 0 NON-STRICT, 0 FAIL, 0 UNSUPPORTED}. */
    public String summary() {
        Counts counts = counts();
        return "conformance " + target + ": " + counts.total() + " cases, " + counts.pass() + " PASS, "
                + counts.nonStrict() + " NON-STRICT, " + counts.fail() + " FAIL, " + counts.unsupported() + " UNSUPPORTED";
    }

    /** A heading, the summary, and one table per family. */
    public String toMarkdown() {
        var md = new StringBuilder("# WebSocket conformance: ").append(target).append("\n\n")
                .append(summary()).append(" (").append(started).append(", ").append(elapsed.toMillis()).append(" ms)\n");
        for (Family family : Family.values()) {
            var rows = results.stream().filter(r -> r.family() == family).toList();
            if (rows.isEmpty()) {
                continue;
            }
            md.append("\n## ").append(family.number()).append(" ").append(family.title())
                    .append("\n\nChecks ").append(family.rfc()).append(".\n\n")
                    .append("| case | description | outcome | reason |\n|---|---|---|---|\n");
            for (CaseResult row : rows) {
                md.append("| ").append(row.id()).append(" | ").append(cell(row.description())).append(" | ")
                        .append(row.outcome().label()).append(" | ").append(cell(row.reason())).append(" |\n");
            }
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ");
    }

    /** The whole report as one JSON object: target, start, duration, counts and every case. */
    public String toJson() {
        Counts counts = counts();
        var json = new StringBuilder("{\n")
                .append("  \"target\": ").append(quote(target.toString())).append(",\n")
                .append("  \"started\": ").append(quote(started.toString())).append(",\n")
                .append("  \"elapsedMillis\": ").append(elapsed.toMillis()).append(",\n")
                .append("  \"counts\": {\"total\": ").append(counts.total()).append(", \"pass\": ").append(counts.pass())
                .append(", \"nonStrict\": ").append(counts.nonStrict()).append(", \"fail\": ").append(counts.fail())
                .append(", \"unsupported\": ").append(counts.unsupported()).append("},\n")
                .append("  \"cases\": [");
        for (int i = 0; i < results.size(); i++) {
            CaseResult r = results.get(i);
            json.append(i == 0 ? "\n" : ",\n")
                    .append("    {\"id\": ").append(quote(r.id()))
                    .append(", \"family\": ").append(quote(r.family().title()))
                    .append(", \"description\": ").append(quote(r.description()))
                    .append(", \"outcome\": ").append(quote(r.outcome().label()))
                    .append(", \"reason\": ").append(quote(r.reason()))
                    .append(", \"elapsedMillis\": ").append(r.elapsed().toMillis()).append('}');
        }
        return json.append("\n  ]\n}\n").toString();
    }

    private static String quote(String text) {
        var out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Writes {@value #MARKDOWN_FILE} and {@value #JSON_FILE} into {@code directory}, creating it if needed. */
    public void writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(MARKDOWN_FILE), toMarkdown(), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve(JSON_FILE), toJson(), StandardCharsets.UTF_8);
    }
}
