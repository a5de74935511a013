package io.echowall.jmh;

import io.echowall.http.Router;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Dispatch: {@link Router#route} over a 21-route table of literals and {@code {params}}, for hits of
 * each kind, a 404 and a 405; and, for scale, a plain {@link HashMap} lookup, which is what routing
 * would cost if every route were a literal.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RouterBenchmark {

    /** A small real-time app's routes: pages, a JSON API, static files and three WebSocket endpoints. */
    static final String[][] ROUTES = {
            {"GET", "/"},
            {"GET", "/about"},
            {"GET", "/login"},
            {"POST", "/login"},
            {"POST", "/logout"},
            {"GET", "/api/health"},
            {"GET", "/api/users"},
            {"POST", "/api/users"},
            {"GET", "/api/users/me"},
            {"GET", "/api/users/{id}"},
            {"PUT", "/api/users/{id}"},
            {"DELETE", "/api/users/{id}"},
            {"GET", "/api/users/{id}/posts"},
            {"GET", "/api/posts/{post}/comments/{comment}"},
            {"GET", "/rooms/{room}/history"},
            {"GET", "/admin/stats"},
            {"GET", "/docs/{page}"},
            {"GET", "/static/{file}"},
            {Router.WEBSOCKET, "/foobar"},
            {Router.WEBSOCKET, "/chat/{room}"},
            {Router.WEBSOCKET, "/live/{channel}/events"},
    };

    private final Router<String> router = new Router<>();
    private final Map<String, Map<String, String>> literals = new HashMap<>();

    @Setup
    public void setUp() {
        for (String[] r : ROUTES) {
            router.add(r[0], r[1], r[0] + " " + r[1]);
            if (!r[1].contains("{")) {
                literals.computeIfAbsent(r[0], m -> new HashMap<>()).put(r[1], r[0] + " " + r[1]);
            }
        }
        for (String[] probe : new String[][] {{"GET", "/"}, {Router.WEBSOCKET, "/foobar/"},
                {"GET", "/api/users/42"}, {"GET", "/api/posts/17/comments/3"}}) {
            if (!(router.route(probe[0], probe[1]) instanceof Router.Found<?>)) {
                throw new IllegalStateException("no route for " + probe[0] + " " + probe[1]);
            }
        }
    }

    @Benchmark
    public Object hitRoot() {
        return router.route("GET", "/");
    }

    /** The echo wall's endpoint, asked with its trailing slash as the demo page does. */
    @Benchmark
    public Object hitWebSocket() {
        return router.route(Router.WEBSOCKET, "/foobar/");
    }

    @Benchmark
    public Object hitLiteral() {
        return router.route("GET", "/api/health");
    }

    @Benchmark
    public Object hitParam() {
        return router.route("GET", "/api/users/42");
    }

    @Benchmark
    public Object hitTwoParams() {
        return router.route("GET", "/api/posts/17/comments/3");
    }

    @Benchmark
    public Object miss404() {
        return router.route("GET", "/wp-admin/setup.php");
    }

    @Benchmark
    public Object miss405() {
        return router.route("DELETE", "/api/health");
    }

    /** The floor for a literal route: one hash lookup per method, one per path. */
    @Benchmark
    public Object hashMapLiteral() {
        return literals.get("GET").get("/api/health");
    }
}
