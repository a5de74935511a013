package io.echowall.conformance;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The head of an HTTP response to the opening handshake.
 *
 * @param version  the HTTP version token
 * @param status   the status code
 * @param reason   the reason phrase
 * @param headers  the header lines in order
 * @param leftover bytes received after the head: the first WebSocket frames, if any
 */
record HttpResponse(String version, int status, String reason, List<Header> headers, byte[] leftover) {

    /** Every value of a header, with comma-separated lists split (RFC 7230 section 3.2.2). */
    List<String> values(String name) {
        return headers.stream()
                .filter(h -> h.name().equalsIgnoreCase(name))
                .flatMap(h -> Arrays.stream(h.value().split(",")))
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .toList();
    }

    /** The header lines of that name joined as one list value, or null when absent. */
    String joined(String name) {
        var lines = headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
        return lines.isEmpty() ? null : String.join(", ", lines);
    }

    /** True when a comma-separated header holds {@code token}, compared case-insensitively. */
    boolean hasToken(String name, String token) {
        return values(name).stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).equals(token.toLowerCase(Locale.ROOT)));
    }

    /** "101 Switching Protocols", for reports. */
    String statusLine() {
        return status + (reason.isEmpty() ? "" : " " + reason);
    }
}
