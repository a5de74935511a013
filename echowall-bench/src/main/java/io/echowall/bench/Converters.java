package io.echowall.bench;

import picocli.CommandLine;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Picocli converters for the human forms of sizes ({@code 64}, {@code 16k}) and durations ({@code 10s}, {@code 500ms}). */
final class Converters {
    private Converters() {
    }

    /** Bytes: a plain number, or one with k, m (or kb, kib, mb, mib, any case) meaning 1024 and 1024². */
    static final class ByteSize implements CommandLine.ITypeConverter<Integer> {
        private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|b|k|kb|kib|m|mb|mib)");

        @Override
        public Integer convert(String value) {
            Matcher matcher = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!matcher.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a size like 64, 16k or 1m");
            }
            long multiplier = switch (matcher.group(2)) {
                case "k", "kb", "kib" -> 1024;
                case "m", "mb", "mib" -> 1024 * 1024;
                default -> 1;
            };
            long bytes;
            try {
                bytes = Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier);
            } catch (ArithmeticException | NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is too large");
            }
            if (bytes > Integer.MAX_VALUE) {
                throw new CommandLine.TypeConversionException("'" + value + "' is too large");
            }
            return (int) bytes;
        }
    }

    /** A duration: a number with ms, s, m or h (a bare number means seconds), or ISO-8601 such as PT1M. */
    static final class TimeSpan implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SPAN = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(|ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            String text = value.trim();
            if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
                try {
                    return Duration.parse(text);
                } catch (DateTimeParseException e) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is not an ISO-8601 duration");
                }
            }
            Matcher matcher = SPAN.matcher(text.toLowerCase(Locale.ROOT));
            if (!matcher.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 10s, 500ms or 2m");
            }
            long nanosPerUnit = switch (matcher.group(2)) {
                case "ms" -> 1_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 1_000_000_000L;
            };
            BigDecimal nanos = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit));
            if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new CommandLine.TypeConversionException("'" + value + "' is too long");
            }
            return Duration.ofNanos(nanos.longValue());
        }
    }
}
