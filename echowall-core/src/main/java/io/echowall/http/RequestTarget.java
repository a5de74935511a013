package io.echowall.http;

import io.echowall.websocket.Utf8Validator;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * A request's target (RFC 9112 section 3.2), parsed once: its raw path for routing and filters, its raw
 * query, and its percent-decoded path for handlers and static files.
 *
 * @param rawPath  the path as sent, percent escapes kept
 * @param rawQuery the query without '?', possibly empty
 * @param path     the decoded path ('+' stays a plus)
 */
public record RequestTarget(String rawPath, String rawQuery, String path) {

    /** The asterisk form (section 3.2.4), which names the server itself, for OPTIONS only. */
    public static final RequestTarget ASTERISK = new RequestTarget("*", "", "*");

    /**
     * Parses the origin form ({@code /a/b?q}), the absolute form ({@code http://host/a/b?q}, section
     * 3.2.2) and, for OPTIONS, the asterisk form.
     *
     * @throws IllegalArgumentException with an explanation fit for an error page when the target is malformed
     */
    public static RequestTarget parse(String target, boolean options) {
        String rawPath;
        String rawQuery;
        if (target.startsWith("/")) {
            int q = target.indexOf('?');
            rawPath = q < 0 ? target : target.substring(0, q);
            rawQuery = q < 0 ? "" : target.substring(q + 1);
        } else if (target.startsWith("http://") || target.startsWith("https://")) {
            try {
                URI uri = new URI(target);
                rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("The request target is malformed.");
            }
        } else if (target.equals("*") && options) {
            return ASTERISK;
        } else {
            throw new IllegalArgumentException("The request target is not a path.");
        }
        String path = decode(rawPath);
        if (path == null) {
            throw new IllegalArgumentException("The request path is malformed.");
        }
        return new RequestTarget(rawPath, rawQuery, path);
    }

    /** Percent-decodes a path; null when an escape is malformed or the bytes are not UTF-8. */
    private static String decode(String rawPath) {
        if (rawPath.indexOf('%') < 0) {
            return rawPath;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                if (i + 2 >= rawPath.length()) {
                    return null;
                }
                int hi = Character.digit(rawPath.charAt(i + 1), 16);
                int lo = Character.digit(rawPath.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        byte[] bytes = out.toByteArray();
        Utf8Validator utf8 = new Utf8Validator();
        if (!utf8.feed(bytes, 0, bytes.length) || !utf8.isComplete()) {
            return null;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
