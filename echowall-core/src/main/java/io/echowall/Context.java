package io.echowall;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One HTTP exchange: the request, and the response being built.
 *
 * <p>Setters return the context, so a handler reads as one sentence:
 * {@code ctx.status(201).header("Location", url).json(created)}. The response is sent when the
 * handler (and the after filters) return. A before filter that produces a body or a redirect ends the
 * exchange there: the route handler does not run. That is also how a filter refuses a WebSocket
 * upgrade (with 401 or 403, say) before anything is upgraded.
 */
public interface Context {

    // ---- request ----

    /** The request method, upper case: {@code GET}, {@code POST}, … */
    String method();

    /** The decoded request path, without the query. */
    String path();

    /** A path parameter of the matched route, such as {@code id} in {@code /users/{id}}, or null. */
    String pathParam(String name);

    /** All path parameters of the matched route. */
    Map<String, String> pathParams();

    /** The first value of a query parameter, or null. */
    String queryParam(String name);

    /** All query parameters, each with its values in order. */
    Map<String, List<String>> queryParams();

    /** The first value of a request header (case-insensitive name), or null. */
    String header(String name);

    /** All values of a request header. */
    List<String> headers(String name);

    /** A request cookie's value, or null. */
    String cookie(String name);

    /** The request body decoded as UTF-8 (or the charset of the request's Content-Type). */
    String body();

    /** The request body's bytes. */
    byte[] bodyBytes();

    /**
     * The request body read as JSON into {@code type}.
     *
     * @throws IllegalArgumentException if the body is not JSON of that shape; unless the handler
     *                                  catches it, the client gets 400
     */
    <T> T bodyAsJson(Class<T> type);

    /** The client's address. */
    InetSocketAddress remoteAddress();

    /** A value stored on this exchange by a filter or handler (it carries over to a WebSocket session). */
    <T> T attribute(String name);

    /** Stores a value on this exchange. */
    Context attribute(String name, Object value);

    // ---- response ----

    /** Sets the response status (200 unless set). */
    Context status(int status);

    /** The response status set so far. */
    int status();

    /** Sets a response header, replacing earlier values. */
    Context header(String name, String value);

    /** Sets the response Content-Type. */
    Context contentType(String contentType);

    /** Adds a cookie to the response with the defaults of {@link Cookie#of} ({@code Path=/; HttpOnly; SameSite=Lax}). */
    default Context cookie(String name, String value) {
        return cookie(Cookie.of(name, value));
    }

    /**
     * Adds {@code cookie} to the response; {@code Secure} is added whenever the server serves TLS.
     *
     * @throws IllegalArgumentException if it says {@code SameSite=None} without being {@code Secure}, which
     *                                  browsers would drop
     */
    Context cookie(Cookie cookie);

    /**
     * Tells the browser to delete the cookie {@code name}. It must have been set with {@code Path=/} and no
     * domain, as {@link Cookie#of} sets it; for another one, send it with {@link Cookie#withMaxAge} zero.
     */
    default Context removeCookie(String name) {
        return cookie(Cookie.of(name, "").withMaxAge(Duration.ZERO));
    }

    /** Responds with text ({@code text/plain; charset=utf-8} unless a type was set). */
    Context text(String body);

    /** Responds with HTML ({@code text/html; charset=utf-8}). */
    Context html(String body);

    /** Responds with bytes ({@code application/octet-stream} unless a type was set). */
    Context bytes(byte[] body);

    /** Responds with {@code value} written as JSON ({@code application/json}). */
    Context json(Object value);

    /** Renders the template {@code name} with {@code model} and responds with the HTML. */
    Context render(String name, Map<String, ?> model);

    /** Renders the template {@code name} without a model. */
    default Context render(String name) {
        return render(name, Map.of());
    }

    /** Redirects with 302 Found to {@code location}. */
    default Context redirect(String location) {
        return redirect(location, 302);
    }

    /** Redirects with {@code status} (301, 302, 303, 307 or 308) to {@code location}. */
    Context redirect(String location, int status);

    /** Whether a body or redirect was set, which ends the exchange after a before filter. */
    boolean responded();
}
