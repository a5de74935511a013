package io.echowall.testing;

import io.echowall.Echowall;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An Echowall app running in the test's own JVM on a free port, with real clients for it: plain HTTP
 * calls through the JDK's {@link HttpClient}, and WebSocket {@link TestClient}s.
 *
 * <pre>{@code
 * var app = Echowall.create(config -> config.withHost("127.0.0.1"));
 * app.get("/health", ctx -> ctx.text("ok"));
 * app.ws("/echo", ws -> {
 *     for (var message : ws) {
 *         ws.send(message);
 *     }
 * });
 * try (var server = TestServer.start(app); var client = server.connect("/echo")) {
 *     assertEquals("ok", server.get("/health").body());
 *     client.send("hello");
 *     client.expectText("hello");
 * }
 * }</pre>
 *
 * <p>The app is configured as usual before it is handed over; the server listens on its configured
 * host, and the clients connect to 127.0.0.1 when that host is every interface ({@code 0.0.0.0}, the
 * default). Configure {@code 127.0.0.1} to keep a test's server off the network.
 *
 * <p>Every call waits up to a deadline, 5 s unless {@linkplain #within(Duration) changed}, and fails
 * with an {@link AssertionError} that says what did not happen. The HTTP calls speak HTTP/1.1 and
 * follow no redirects, so that a test sees them. Closing the server stops the app gracefully, then
 * drops any client still open.
 */
public final class TestServer implements AutoCloseable {

    private final Echowall app;
    private final String host;
    private final int port;
    private final HttpClient http;
    private final Set<TestClient> clients = ConcurrentHashMap.newKeySet();
    private volatile Duration deadline = Deadlines.DEFAULT;

    private TestServer(Echowall app) {
        this.app = app;
        this.port = app.port();
        this.host = uriHost(app.address().getAddress());
        // HTTP/1.1, which is what Echowall speaks: no h2c upgrade offered on the side.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Deadlines.DEFAULT).build();
    }

    /**
     * Starts {@code app} on a free port of its configured host.
     *
     * @throws IllegalStateException if the app already started or cannot listen
     */
    public static TestServer start(Echowall app) {
        app.start(0);
        try {
            return new TestServer(app);
        } catch (RuntimeException | Error e) {
            app.stop();
            throw e;
        }
    }

    /** The host of a URI that reaches {@code listening}: loopback for every interface. */
    private static String uriHost(InetAddress listening) {
        if (listening.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        String address = listening.getHostAddress();
        return listening instanceof Inet6Address ? "[" + address + "]" : address;
    }

    /**
     * Makes every later HTTP call, and the clients connected from now on, wait up to {@code deadline}
     * instead of 5 s.
     *
     * @return this server
     */
    public TestServer within(Duration deadline) {
        this.deadline = Deadlines.checked(deadline);
        return this;
    }

    /** The port the app listens on. */
    public int port() {
        return port;
    }

    /** The {@code http} URI of {@code path} (which starts with {@code /} and may hold a query). */
    public URI uri(String path) {
        return URI.create("http://" + host + ":" + port + checkedPath(path));
    }

    /** The {@code ws} URI of {@code path} (which starts with {@code /} and may hold a query). */
    public URI wsUri(String path) {
        return URI.create("ws://" + host + ":" + port + checkedPath(path));
    }

    private static String checkedPath(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a path starts with /: " + path);
        }
        return path;
    }

    // ---------------------------------------------------------------- HTTP

    /**
     * Sends {@code GET path} and reads the response body as text.
     *
     * @throws AssertionError if no response comes within the deadline, or the exchange fails
     */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /**
     * Sends {@code POST path} with {@code body}, encoded as UTF-8, and reads the response body as text.
     *
     * @param contentType the body's media type, such as {@code application/json}
     * @throws AssertionError if no response comes within the deadline, or the exchange fails
     */
    public HttpResponse<String> post(String path, String body, String contentType) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * Sends the request {@code request} describes (address it with {@link #uri(String)}) and reads the
     * response body as text. A request without a timeout of its own gets the deadline.
     *
     * <pre>{@code
     * var response = server.send(HttpRequest.newBuilder(server.uri("/items/7")).DELETE());
     * }</pre>
     *
     * @throws AssertionError if no response comes in time, or the exchange fails
     */
    public HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends the request {@code request} describes and reads the response body with {@code body}, such
     * as {@link HttpResponse.BodyHandlers#ofByteArray()} for binary content.
     *
     * @throws AssertionError if no response comes in time, or the exchange fails
     */
    public <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        HttpRequest built = request.build();
        if (built.timeout().isEmpty()) {
            built = HttpRequest.newBuilder(built, (name, value) -> true).timeout(deadline).build();
        }
        String what = built.method() + " " + built.uri();
        try {
            return http.send(built, body);
        } catch (HttpTimeoutException e) {
            throw new AssertionError(what + ": no response within " + Deadlines.describe(built.timeout().orElseThrow()), e);
        } catch (IOException e) {
            throw new AssertionError(what + " failed: " + e, e);
        } catch (InterruptedException e) {
            throw Deadlines.interrupted("waiting for the response to " + what, e);
        }
    }

    // ---------------------------------------------------------------- WebSocket

    /**
     * Opens a WebSocket to {@code path}, waiting up to the deadline for the handshake.
     *
     * @throws AssertionError if the server refuses the upgrade (the message has its status) or does not answer
     */
    public TestClient connect(String path) {
        return connect(path, Map.of());
    }

    /**
     * Opens a WebSocket to {@code path} with extra request {@code headers} (such as {@code Cookie} or
     * {@code Origin}; the JDK sets the handshake's own) and offering {@code subprotocols}, waiting up
     * to the deadline for the handshake.
     *
     * @throws AssertionError if the server refuses the upgrade (the message has its status) or does not answer
     */
    public TestClient connect(String path, Map<String, String> headers, String... subprotocols) {
        Objects.requireNonNull(headers, "headers");
        TestClient client = TestClient.connect(http, wsUri(path), headers, subprotocols, deadline, clients::remove);
        clients.add(client);
        return client;
    }

    // ---------------------------------------------------------------- closing

    /**
     * Stops the app gracefully (its WebSockets close with 1001), then drops the clients still open and
     * the HTTP client's connections. Closing again does nothing.
     */
    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            clients.forEach(TestClient::abort);
            http.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "TestServer(" + uri("/") + ")";
    }
}
