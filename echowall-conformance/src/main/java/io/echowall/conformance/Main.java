package io.echowall.conformance;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line: runs the suite against a URL, writes the report, prints the summary, and exits non-zero
 * when any case fails. It runs alone or mounted as {@code echowall conformance}, the same either way.
 *
 * <pre>java -jar echowall-conformance.jar ws://127.0.0.1:5000/foobar/ --cases 6.*,7.1.*</pre>
 */
@Command(name = "conformance", sortOptions = false,
        header = "Check a WebSocket server against RFC 6455 and RFC 7692.",
        description = "A raw-socket client writes each case's frames, broken ones included, and judges what comes back.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no case failed", "1:some case failed", "2:bad arguments", "3:the server did not echo at all"})
public final class Main implements Callable<Integer> {

    /** Exit status when some case failed. */
    public static final int CASES_FAILED = 1;
    /** Exit status when the server could not be tested at all. */
    public static final int SERVER_UNAVAILABLE = 3;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Parameters(index = "0", paramLabel = "URL", description = "the server's WebSocket endpoint, ws://host:port/path")
    URI target;

    @Option(names = "--cases", split = ",", paramLabel = "PATTERN",
            description = "case ids to run, '*' matching anything, e.g. 6.*,7.1.* (default: all)")
    List<String> cases = List.of();

    @Option(names = "--report-dir", paramLabel = "DIR", description = "where to write conformance.md and conformance.json (default: ${DEFAULT-VALUE})")
    Path reportDir = Path.of("target", "conformance");

    @Option(names = "--max-message-size", paramLabel = "SIZE", defaultValue = "1m", converter = LimitConverter.class,
            description = "the server's message size limit, e.g. 1m, 64k, 1048576 or 'none' (default: ${DEFAULT-VALUE}); "
                    + "larger messages must be refused with 1009")
    long maxMessageSize;

    @Option(names = "--sizes", split = ",", paramLabel = "SIZE", defaultValue = "1m,4m", converter = SizeConverter.class,
            description = "large message sizes to send (default: ${DEFAULT-VALUE})")
    List<Long> sizes;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "longest wait for any single event, e.g. 2s, 500ms (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--fail-fast-window", paramLabel = "DURATION", defaultValue = "500ms", converter = DurationConverter.class,
            description = "how long to wait for the close after the first invalid byte (default: ${DEFAULT-VALUE})")
    Duration failFastWindow;

    @Option(names = "--concurrency", paramLabel = "N", description = "cases run at once (default: ${DEFAULT-VALUE})")
    int concurrency = Options.defaults().concurrency();

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Options options = Options.defaults()
                .withCases(cases)
                .withMaxMessageSize(maxMessageSize)
                .withMessageSizes(sizes.stream().map(Math::toIntExact).toList())
                .withCaseTimeout(timeout)
                .withFailFastWindow(failFastWindow)
                .withConcurrency(concurrency);
        Report report;
        try {
            report = ConformanceSuite.run(target, options);
        } catch (IllegalStateException e) {
            err().println(e.getMessage());
            return SERVER_UNAVAILABLE;
        }
        report.writeTo(reportDir);
        var out = new PrintWriter(System.out, true);
        report.withOutcome(Outcome.FAIL).forEach(r -> out.println("FAIL " + r.id() + " " + r.description() + ": " + r.reason()));
        out.println("report: " + reportDir.resolve(Report.MARKDOWN_FILE) + ", " + reportDir.resolve(Report.JSON_FILE));
        out.println(report.summary());
        return report.counts().fail() > 0 ? CASES_FAILED : 0;
    }

    private static PrintWriter err() {
        return new PrintWriter(System.err, true);
    }

    /** "1m", "64k", "1048576" to bytes (binary units), at most 1 GiB. */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            String value = text.trim().toLowerCase(Locale.ROOT);
            long unit = value.endsWith("k") ? 1 << 10 : value.endsWith("m") ? 1 << 20 : 1;
            if (unit > 1) {
                value = value.substring(0, value.length() - 1);
            }
            try {
                long bytes = Math.multiplyExact(Long.parseLong(value), unit);
                if (bytes > 0 && bytes <= 1 << 30) {
                    return bytes;
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("not a size from 1 to 1g: '" + text + "' (e.g. 1m, 64k, 1048576)");
        }
    }

    /** A size, or "none" for a server without a message size limit. */
    static final class LimitConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            return text.trim().equalsIgnoreCase("none") ? Options.NO_LIMIT : new SizeConverter().convert(text);
        }
    }

    /** "2s", "1.5s", "500ms" to a positive duration. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            String value = text.trim().toLowerCase(Locale.ROOT);
            try {
                Duration duration = value.endsWith("ms") ? Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)))
                        : value.endsWith("s") ? Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000))
                        : null;
                if (duration != null && duration.toMillis() > 0) {
                    return duration;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("not a positive duration: '" + text + "' (e.g. 2s, 500ms)");
        }
    }
}
