package io.echowall.websocket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a client's {@code Sec-WebSocket-Extensions} offers and picks the first permessage-deflate offer
 * the server can accept, following RFC 7692 section 7: an offer with an unknown parameter, a repeated
 * parameter or an invalid value is declined, and the handshake goes on without that offer.
 */
public final class DeflateNegotiation {

    /** The extension's registered name. */
    public static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    /** The parameter by which a client limits the server's compression window. */
    public static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";

    private DeflateNegotiation() {
    }

    /**
     * The parameters of the first acceptable permessage-deflate offer (names in lower case, values
     * unquoted, null for parameters without a value), or null if no offer is acceptable.
     *
     * @param headerValues every {@code Sec-WebSocket-Extensions} header of the request
     */
    public static Map<String, String> firstAcceptableOffer(List<String> headerValues) {
        for (String header : headerValues) {
            for (String extension : splitOutsideQuotes(header, ',')) {
                List<String> parts = splitOutsideQuotes(extension, ';');
                if (parts.isEmpty() || !parts.get(0).trim().equalsIgnoreCase(PERMESSAGE_DEFLATE)) {
                    continue;
                }
                Map<String, String> params = acceptableParameters(parts.subList(1, parts.size()));
                if (params != null) {
                    return params;
                }
            }
        }
        return null;
    }

    /**
     * Whether the client asks the server to compress within a 256-byte window
     * ({@code server_max_window_bits=8}): zlib cannot, so the server then sends stored (uncompressed)
     * deflate blocks, which refer back to nothing and so fit any window.
     */
    public static boolean wantsTinyWindow(Map<String, String> offer) {
        return "8".equals(offer.get(SERVER_MAX_WINDOW_BITS));
    }

    /**
     * The {@code Sec-WebSocket-Extensions} response for an accepted {@code offer}, from the parameters
     * the compressor accepted. RFC 7692 section 7.1.2.1: accepting {@code server_max_window_bits} means
     * answering a value no larger than asked, so it is answered even where the compressor left it out.
     */
    public static String response(Map<String, String> offer, Map<String, String> accepted) {
        Map<String, String> reply = new LinkedHashMap<>(accepted);
        String serverWindow = offer.get(SERVER_MAX_WINDOW_BITS);
        if (serverWindow != null) {
            reply.putIfAbsent(SERVER_MAX_WINDOW_BITS, serverWindow.equals("8") ? "8" : "15");
        }
        StringBuilder header = new StringBuilder(PERMESSAGE_DEFLATE);
        reply.forEach((name, value) -> {
            header.append("; ").append(name);
            if (value != null) {
                header.append('=').append(value);
            }
        });
        return header.toString();
    }

    private static Map<String, String> acceptableParameters(List<String> rawParams) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String raw : rawParams) {
            String param = raw.trim();
            if (param.isEmpty()) {
                return null;
            }
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : unquote(param.substring(eq + 1).trim());
            if (params.containsKey(name)) {
                return null; // section 7: a parameter given twice declines the offer
            }
            boolean valid = switch (name) {
                case "server_no_context_takeover", "client_no_context_takeover" -> value == null;
                case "server_max_window_bits" -> value != null && isWindowBits(value); // section 7.1.2.1
                case "client_max_window_bits" -> value == null || isWindowBits(value); // section 7.1.2.2
                default -> false; // an unknown parameter declines the offer
            };
            if (!valid) {
                return null;
            }
            params.put(name, value);
        }
        return params;
    }

    /** Section 7.1.2: a decimal integer from 8 to 15 without leading zeros. */
    private static boolean isWindowBits(String value) {
        return value.matches("[89]|1[0-5]");
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
