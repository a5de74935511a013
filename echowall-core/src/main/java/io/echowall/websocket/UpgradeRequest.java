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
    public static String packHeaders(Iterable<Map.Entry<String, String>> headers) {
        StringBuilder packed = new StringBuilder(256);
        for (Map.Entry<String, String> h : headers) {
            packed.append(h.getKey().toLowerCase(Locale.ROOT)).append(':').append(h.getValue()).append('\n');
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
