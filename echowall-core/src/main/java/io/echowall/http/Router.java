package io.echowall.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps a method and a path to what serves them. Routing is decided once per request or upgrade.
 *
 * <p>Among the routes matching a path, the one with more literal segments wins ({@code /users/me}
 * over {@code /users/{id}}), then the one added first. {@code HEAD} falls back to a {@code GET} route.
 *
 * @param <T> what a route leads to
 */
public final class Router<T> {

    /** The method name under which WebSocket endpoints are registered. */
    public static final String WEBSOCKET = "WEBSOCKET";

    private record Route<T>(String method, PathPattern pattern, T target) {
    }

    /** The outcome of routing. */
    public sealed interface Match<T> {
    }

    /** A route serves the request. */
    public record Found<T>(T target, Map<String, String> pathParams, String pattern) implements Match<T> {
    }

    /** Routes exist for the path, but not for the method; {@code allowed} lists theirs. */
    public record MethodNotAllowed<T>(Set<String> allowed) implements Match<T> {
    }

    /** No route has this path. */
    public record NotFound<T>() implements Match<T> {
    }

    private final List<Route<T>> routes = new ArrayList<>();

    /**
     * Adds a route.
     *
     * @throws IllegalArgumentException if a route of the same method already matches the same paths, so
     *                                  that this one could never be reached
     */
    public synchronized void add(String method, String pattern, T target) {
        PathPattern parsed = PathPattern.parse(pattern);
        for (Route<T> r : routes) {
            if (r.method.equals(method) && r.pattern.matchesSamePathsAs(parsed)) {
                String what = method.equals(WEBSOCKET) ? "WebSocket endpoint" : method + " route";
                throw new IllegalArgumentException("the " + what + " " + pattern + " could never be reached: "
                        + r.pattern + " already matches the same paths");
            }
        }
        routes.add(new Route<>(method, parsed, target));
    }

    /** Routes {@code method} (upper case, or {@link #WEBSOCKET}) and the raw request path. */
    public Match<T> route(String method, String rawPath) {
        List<String> parts = PathPattern.segments(rawPath);
        Route<T> best = find(method, parts);
        if (best == null && method.equals("HEAD")) {
            best = find("GET", parts);
        }
        if (best != null) {
            return new Found<>(best.target, best.pattern.params(parts), best.pattern.toString());
        }
        Set<String> allowed = new TreeSet<>();
        for (Route<T> r : routes) {
            if (r.pattern.matches(parts)) {
                allowed.add(r.method.equals(WEBSOCKET) ? "GET" : r.method);
            }
        }
        if (allowed.isEmpty()) {
            return new NotFound<>();
        }
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        allowed.add("OPTIONS");
        return new MethodNotAllowed<>(allowed);
    }

    /** The matching route of {@code method} with the most literal segments, the first added on a tie. */
    private Route<T> find(String method, List<String> parts) {
        Route<T> best = null;
        for (Route<T> r : routes) {
            if (r.method.equals(method) && (best == null || r.pattern.literalCount() > best.pattern.literalCount())
                    && r.pattern.matches(parts)) {
                best = r;
            }
        }
        return best;
    }
}
