package io.echowall.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A route's path: literal segments and {@code {name}} parameters, such as {@code /chat/{room}}.
 *
 * <p>A trailing slash does not matter: {@code /foobar} and {@code /foobar/} are the same route, in the
 * pattern and in the request.
 */
public final class PathPattern {

    private final String source;
    private final String[] segments; // literal text, or null where a parameter stands
    private final String[] names;    // parameter name, or null where a literal stands

    private PathPattern(String source, String[] segments, String[] names) {
        this.source = source;
        this.segments = segments;
        this.names = names;
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException if it does not start with '/' or has a malformed parameter
     */
    public static PathPattern parse(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route path must start with '/': " + pattern);
        }
        List<String> parts = segments(pattern);
        String[] segments = new String[parts.size()];
        String[] names = new String[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            if (part.startsWith("{") && part.endsWith("}") && part.length() > 2) {
                names[i] = part.substring(1, part.length() - 1);
            } else if (part.contains("{") || part.contains("}")) {
                throw new IllegalArgumentException("a path parameter must be a whole segment, like /{name}: " + pattern);
            } else {
                segments[i] = part;
            }
        }
        return new PathPattern(pattern, segments, names);
    }

    /**
     * Matches a raw (still percent-encoded) request path.
     *
     * @return the decoded path parameters, or null if the path does not match
     */
    public Map<String, String> match(String rawPath) {
        List<String> parts = segments(rawPath);
        return matches(parts) ? params(parts) : null;
    }

    /** Whether the segments of a raw path (from {@link #segments}) match this pattern. */
    public boolean matches(List<String> parts) {
        if (parts.size() != segments.length) {
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            String part = parts.get(i);
            if (names[i] == null ? !segments[i].equals(decode(part)) : part.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The decoded path parameters in the segments of a raw path that {@link #matches matched}. */
    public Map<String, String> params(List<String> parts) {
        Map<String, String> params = null;
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                if (params == null) {
                    params = new LinkedHashMap<>(4);
                }
                params.put(names[i], decode(parts.get(i)));
            }
        }
        return params == null ? Map.of() : params;
    }

    /**
     * Whether this pattern matches exactly the paths {@code other} matches: the same literals in the
     * same places, parameters in the same places whatever their names ({@code /users/{id}} and
     * {@code /users/{name}}).
     */
    public boolean matchesSamePathsAs(PathPattern other) {
        if (segments.length != other.segments.length) {
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            if (segments[i] == null ? other.segments[i] != null : !segments[i].equals(other.segments[i])) {
                return false;
            }
        }
        return true;
    }

    /** How many segments are literal: among routes matching the same path, the more literal one wins. */
    public int literalCount() {
        int n = 0;
        for (String s : segments) {
            if (s != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return source;
    }

    /** The segments of a path, ignoring the leading and any trailing slash; split once, matched often. */
    public static List<String> segments(String path) {
        List<String> parts = new ArrayList<>(4);
        int start = 1;
        int end = path.endsWith("/") && path.length() > 1 ? path.length() - 1 : path.length();
        if (start >= end) {
            return parts;
        }
        while (true) {
            int slash = path.indexOf('/', start);
            if (slash < 0 || slash >= end) {
                parts.add(path.substring(start, end));
                return parts;
            }
            parts.add(path.substring(start, slash));
            start = slash + 1;
        }
    }

    /** Percent-decodes a path segment ('+' stays a plus in paths). */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return segment;
        }
    }
}
