package io.echowall.conformance;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How to run the suite. Change it through the {@code with...} copies of {@link #defaults()}.
 *
 * @param cases          case id patterns, {@code *} matching anything (e.g. {@code "6.*"}, {@code "7.1.1"}); empty runs all
 * @param caseTimeout    the longest any single wait in a case may take
 * @param failFastWindow how long a fail-fast case waits for the close after sending the first invalid byte
 * @param maxMessageSize the server's message size limit; larger messages must be refused with 1009;
 *                       {@link #NO_LIMIT} when the server has none
 * @param messageSizes   the large message sizes the limits family sends
 * @param concurrency    how many cases run at once
 */
public record Options(List<String> cases, Duration caseTimeout, Duration failFastWindow, long maxMessageSize,
                      List<Integer> messageSizes, int concurrency) {

    /** {@link #maxMessageSize} for a server without a message size limit. */
    public static final long NO_LIMIT = Long.MAX_VALUE;

    private static final int MIB = 1 << 20;

    /** Validates every field. */
    public Options {
        cases = List.copyOf(cases);
        messageSizes = List.copyOf(messageSizes);
        if (caseTimeout.isNegative() || caseTimeout.isZero() || failFastWindow.isNegative() || failFastWindow.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("max message size must be positive");
        }
        if (messageSizes.stream().anyMatch(size -> size < 1)) {
            throw new IllegalArgumentException("message sizes must be positive: " + messageSizes);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
    }

    /**
     * All cases; 2 s per wait (a healthy local server answers in milliseconds, so this only bounds broken ones);
     * a 500 ms fail-fast window (generous for a loaded 2-core machine, and only spent on servers that are not
     * fail-fast); a 1 MiB server limit, Echowall's default; messages of 1 and 4 MiB, one either side of that limit;
     * 4 cases at a time (cases mostly wait, so this beats the core count without starving the server).
     */
    public static Options defaults() {
        return new Options(List.of(), Duration.ofSeconds(2), Duration.ofMillis(500), MIB, List.of(MIB, 4 * MIB), 4);
    }

    public Options withCases(List<String> patterns) {
        return new Options(patterns, caseTimeout, failFastWindow, maxMessageSize, messageSizes, concurrency);
    }

    public Options withCases(String... patterns) {
        return withCases(List.of(patterns));
    }

    public Options withCaseTimeout(Duration timeout) {
        return new Options(cases, timeout, failFastWindow, maxMessageSize, messageSizes, concurrency);
    }

    public Options withFailFastWindow(Duration window) {
        return new Options(cases, caseTimeout, window, maxMessageSize, messageSizes, concurrency);
    }

    public Options withMaxMessageSize(long bytes) {
        return new Options(cases, caseTimeout, failFastWindow, bytes, messageSizes, concurrency);
    }

    public Options withMessageSizes(List<Integer> sizes) {
        return new Options(cases, caseTimeout, failFastWindow, maxMessageSize, sizes, concurrency);
    }

    public Options withConcurrency(int parallelCases) {
        return new Options(cases, caseTimeout, failFastWindow, maxMessageSize, messageSizes, parallelCases);
    }

    /** True when the case id matches one of {@link #cases} (or the list is empty). */
    public boolean selects(String caseId) {
        return cases.isEmpty() || cases.stream().anyMatch(pattern -> glob(pattern).matcher(caseId).matches());
    }

    private static Pattern glob(String pattern) {
        var regex = new StringBuilder();
        for (String literal : pattern.trim().split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(literal));
        }
        return Pattern.compile(regex.toString());
    }

    /** True when a message of {@code bytes} is within the server's limit. */
    boolean allows(long bytes) {
        return bytes <= maxMessageSize;
    }
}
