package io.echowall.websocket;

import java.util.Locale;
import java.util.Map;

/**
 * What a session keeps of the HTTP request that opened it.
 *
 * @param path        the decoded request path
 * @param pathParams  the route's path parameters
 * @param rawQuery    the query string without '?', possibly empty
 * @param headers     the request's headers as {@code name:value} lines (names in lower case), each
 *                    line ending in '\n'; one string because a session holds it for its whole life
 * @param subprotocol the agreed subprotocol, or null
 * @param attributes  attributes set by filters before the upgrade; may be empty
 */
public record UpgradeRequest(String path, Map<String, String> pathParams, String rawQuery, String headers,
                             String subprotocol, Map<String, Object> attributes) {

    /** Packs header names and values into the form {@link #headers} takes. */
    public static <N extends CharSequence, V extends CharSequence> String packHeaders(Iterable<Map.Entry<N, V>> headers) {
        int length = 0;
        for (Map.Entry<N, V> h : headers) {
            length += h.getKey().length() + h.getValue().length() + 2;
        }
        StringBuilder packed = new StringBuilder(length); // sized once: this runs on every opening
        for (Map.Entry<N, V> h : headers) {
            CharSequence name = h.getKey();
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                packed.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c); // names are ASCII tokens
            }
            packed.append(':').append(h.getValue()).append('\n');
        }
        return packed.toString();
    }

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
        String key = name.toLowerCase(Locale.ROOT) + ':';
        int start;
        if (headers.startsWith(key)) {
            start = key.length();
        } else {
            int line = headers.indexOf('\n' + key);
            if (line < 0) {
                return null;
            }
            start = line + 1 + key.length();
        }
        int end = headers.indexOf('\n', start);
        return headers.substring(start, end < 0 ? headers.length() : end);
    }
}
