package io.echowall.websocket;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The server's rules for a WebSocket opening handshake (RFC 6455 section 4.2), without I/O: which
 * requests are refused and why, whose pages may connect, and which subprotocol is agreed.
 */
public final class Handshake {

    /** Why a handshake is refused: the HTTP status, and an explanation for the error page. */
    public record Refusal(int status, String explanation) {

        /** Whether the response must name the version this server speaks (section 4.4). */
        public boolean namesVersion() {
            return status == 426;
        }
    }

    /** Every value of a request header, by name in any case. */
    @FunctionalInterface
    public interface Headers {
        /** The values of header {@code name}, in order; empty if absent. */
        List<String> all(String name);
    }

    private Handshake() {
    }

    /**
     * Checks an upgrade request (section 4.2.1) and its origin.
     *
     * @param http11         whether the request is HTTP/1.1
     * @param allowedOrigins the configured origins besides the server's own; {@code *} allows any
     * @return null when the handshake may go on, else why not
     */
    public static Refusal check(boolean http11, Headers headers, List<String> allowedOrigins) {
        if (!http11) {
            return new Refusal(400, "A WebSocket handshake needs HTTP/1.1.");
        }
        if (!hasToken(headers.all("Connection"), "upgrade")) {
            return new Refusal(400, "A WebSocket handshake needs 'Connection: Upgrade'.");
        }
        if (!List.of("13").equals(headers.all("Sec-WebSocket-Version"))) {
            return new Refusal(426, "This server speaks WebSocket version 13.");
        }
        List<String> keys = headers.all("Sec-WebSocket-Key");
        if (keys.size() != 1 || !isValidKey(keys.get(0))) {
            return new Refusal(400, "Sec-WebSocket-Key must be 16 random bytes in base64.");
        }
        List<String> origins = headers.all("Origin");
        if (origins.size() > 1) {
            // RFC 6454 section 7.3: a user agent sends at most one; judging by either would be a guess.
            return new Refusal(400, "A WebSocket handshake may carry only one Origin header.");
        }
        List<String> hosts = headers.all("Host");
        if (!originAllowed(origins.isEmpty() ? null : origins.get(0), hosts.isEmpty() ? null : hosts.get(0),
                allowedOrigins)) {
            return new Refusal(403, "Pages from this origin may not open WebSockets here.");
        }
        return null;
    }

    /** Section 4.2.1, item 5: the key is base64 of 16 bytes. */
    static boolean isValidKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether a page from {@code origin} may open a WebSocket: no Origin (not a browser), the server's
     * own origin (same host and port as the Host header, which the allowed-hosts check vouches for),
     * or an allowed one. The event-stream transport of rooms endpoints applies the same rule.
     */
    public static boolean originAllowed(String origin, String host, List<String> allowedOrigins) {
        if (origin == null || allowedOrigins.contains("*")) {
            return true;
        }
        String normalized = origin.trim().toLowerCase(Locale.ROOT);
        for (String allowed : allowedOrigins) {
            if (allowed.trim().toLowerCase(Locale.ROOT).replaceAll("/+$", "").equals(normalized)) {
                return true;
            }
        }
        if (host == null || normalized.equals("null")) {
            return false;
        }
        try {
            URI uri = new URI(normalized);
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
            String hostLower = host.trim().toLowerCase(Locale.ROOT);
            String hostAuthority = hostLower.lastIndexOf(':') > hostLower.lastIndexOf(']') ? hostLower : hostLower + ":" + port;
            return (uri.getHost() + ":" + port).equals(hostAuthority);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The endpoint's first subprotocol that the client also offered (section 4.2.2, item 5.4), or null. */
    public static String selectSubprotocol(List<String> offeredHeaders, List<String> supported) {
        if (supported.isEmpty() || offeredHeaders.isEmpty()) {
            return null;
        }
        List<String> offered = offeredHeaders.stream()
                .flatMap(h -> Arrays.stream(h.split(",")))
                .map(String::trim)
                .toList();
        for (String name : supported) {
            if (offered.contains(name)) {
                return name;
            }
        }
        return null;
    }

    /** Whether a comma-separated header (such as Connection) lists {@code token}, in any case. */
    private static boolean hasToken(List<String> values, String token) {
        for (String value : values) {
            for (String t : value.split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
