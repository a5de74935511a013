package io.echowall.abuse;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The target's memory as {@code GET /memory} reports it.
 *
 * @param heapUsed    heap in use after two full GCs: what the server really holds on to
 * @param nettyDirect direct memory Netty has reserved (its pools included)
 * @param jdkDirect   direct memory of the JDK's {@code ByteBuffer}s
 */
public record Memory(long heapUsed, long nettyDirect, long jdkDirect) {

    /** Parses the {@code name=bytes} lines of the report. */
    static Memory parse(String report) {
        Map<String, Long> values = new HashMap<>();
        for (String line : report.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), Long.parseLong(line.substring(equals + 1).trim()));
            }
        }
        return new Memory(values.get("heapUsed"), values.get("nettyDirect"), values.get("jdkDirect"));
    }

    /** Bytes as MiB with one decimal, for summary lines. */
    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1fMiB", bytes / (1024.0 * 1024.0));
    }
}
