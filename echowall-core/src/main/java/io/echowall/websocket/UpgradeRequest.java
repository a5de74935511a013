package io.echowall.websocket;

import java.util.Map;

/**
 * What a session keeps of the HTTP request that opened it.
 *
 * @param path        the decoded request path
 * @param pathParams  the route's path parameters
 * @param rawQuery    the query string without '?', possibly empty
 * @param headers     header names (lower case) and values, alternating; kept flat because a session
 *                    holds them for its whole life
 * @param subprotocol the agreed subprotocol, or null
 * @param attributes  attributes set by filters before the upgrade; may be empty
 */
public record UpgradeRequest(String path, Map<String, String> pathParams, String rawQuery, String[] headers,
                             String subprotocol, Map<String, Object> attributes) {

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return headers[i + 1];
            }
        }
        return null;
    }
}
