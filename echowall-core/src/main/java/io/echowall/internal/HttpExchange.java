package io.echowall.internal;

import com.fasterxml.jackson.core.JacksonException;
import io.echowall.Context;
import io.echowall.http.QueryString;
import io.echowall.http.RequestTarget;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link Context} of one HTTP request: reads from Netty's request without copying it, and collects
 * the response, which {@link HttpConnection} writes when the handler returns.
 */
final class HttpExchange implements Context {

    private final FullHttpRequest request;
    private final Application app;
    private final SocketAddress remoteAddress;
    private final RequestTarget target;
    private Map<String, String> pathParams = Map.of();
    private Map<String, List<String>> queryParams;
    private Set<Cookie> cookies;
    private Map<String, Object> attributes;

    private int status = 200;
    private final HttpHeaders responseHeaders = new DefaultHttpHeaders();
    private byte[] body;
    private Path bodyFile;
    private boolean responded;

    HttpExchange(FullHttpRequest request, Application app, SocketAddress remoteAddress, RequestTarget target) {
        this.request = request;
        this.app = app;
        this.remoteAddress = remoteAddress;
        this.target = target;
    }

    /** The request's target, parsed. */
    RequestTarget target() {
        return target;
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = params;
    }

    FullHttpRequest request() {
        return request;
    }

    HttpHeaders responseHeaders() {
        return responseHeaders;
    }

    byte[] responseBody() {
        return body;
    }

    /** The file to stream as the response body, or null. */
    Path responseFile() {
        return bodyFile;
    }

    /** Forgets the response built so far and starts one with {@code status}, for an error handler. */
    void restartResponse(int status) {
        this.status = status;
        responseHeaders.clear();
        body = null;
        bodyFile = null;
        responded = false;
    }

    /** Responds with the file at {@code path}, streamed from disk when the response is written. */
    void file(Path path, long length, String contentType) {
        respond(new byte[0], null);
        responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        responseHeaders.set(HttpHeaderNames.CONTENT_LENGTH, length);
        bodyFile = path;
    }

    Map<String, Object> attributes() {
        return attributes == null ? Map.of() : attributes;
    }

    // ---------------------------------------------------------------- request

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String path() {
        return target.path();
    }

    @Override
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    @Override
    public Map<String, String> pathParams() {
        return Map.copyOf(pathParams);
    }

    @Override
    public String queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public Map<String, List<String>> queryParams() {
        if (queryParams == null) {
            queryParams = QueryString.parse(target.rawQuery());
        }
        return queryParams;
    }

    @Override
    public String header(String name) {
        return request.headers().get(name);
    }

    @Override
    public List<String> headers(String name) {
        return List.copyOf(request.headers().getAll(name));
    }

    @Override
    public String cookie(String name) {
        if (cookies == null) {
            String header = request.headers().get(HttpHeaderNames.COOKIE);
            cookies = header == null ? Set.of() : ServerCookieDecoder.STRICT.decode(header);
        }
        for (Cookie c : cookies) {
            if (c.name().equals(name)) {
                return c.value();
            }
        }
        return null;
    }

    @Override
    public String body() {
        Charset charset = HttpUtil.getCharset(request, StandardCharsets.UTF_8);
        return request.content().toString(charset);
    }

    @Override
    public byte[] bodyBytes() {
        return ByteBufUtil.getBytes(request.content());
    }

    @Override
    public <T> T bodyAsJson(Class<T> type) {
        try {
            return app.json().readValue(bodyBytes(), type);
        } catch (JacksonException e) {
            throw new BadRequestException("the request body is not JSON of the expected shape", e);
        } catch (IOException e) {
            throw new BadRequestException("the request body could not be read", e);
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress instanceof InetSocketAddress inet ? inet : null; // null only off TCP, as in tests
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attribute(String name) {
        return attributes == null ? null : (T) attributes.get(name);
    }

    @Override
    public Context attribute(String name, Object value) {
        if (attributes == null) {
            attributes = new HashMap<>();
        }
        attributes.put(name, value);
        return this;
    }

    // ---------------------------------------------------------------- response

    @Override
    public Context status(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        this.status = status;
        return this;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public Context header(String name, String value) {
        responseHeaders.set(name, value);
        return this;
    }

    @Override
    public Context contentType(String contentType) {
        responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return this;
    }

    @Override
    public Context cookie(io.echowall.Cookie cookie) {
        boolean secure = cookie.secure() || app.config().tlsCertificateChain() != null;
        if (cookie.sameSite() == io.echowall.Cookie.SameSite.NONE && !secure) {
            throw new IllegalArgumentException("cookie " + cookie.name()
                    + " says SameSite=None without Secure, which browsers drop; add withSecure(true)");
        }
        DefaultCookie encoded = new DefaultCookie(cookie.name(), cookie.value());
        encoded.setPath(cookie.path());
        encoded.setDomain(cookie.domain());
        if (cookie.maxAge() != null) {
            encoded.setMaxAge(cookie.maxAge().toSeconds()); // Netty adds the matching Expires for old browsers
        }
        encoded.setSecure(secure);
        encoded.setHttpOnly(cookie.httpOnly());
        encoded.setSameSite(switch (cookie.sameSite()) {
            case STRICT -> CookieHeaderNames.SameSite.Strict;
            case LAX -> CookieHeaderNames.SameSite.Lax;
            case NONE -> CookieHeaderNames.SameSite.None;
        });
        responseHeaders.add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(encoded));
        return this;
    }

    @Override
    public Context text(String text) {
        return respond(text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    @Override
    public Context html(String html) {
        responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        return respond(html.getBytes(StandardCharsets.UTF_8), null);
    }

    @Override
    public Context bytes(byte[] bytes) {
        return respond(bytes.clone(), "application/octet-stream");
    }

    @Override
    public Context json(Object value) {
        try {
            return respond(app.json().writeValueAsBytes(value), "application/json");
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    @Override
    public Context render(String name, Map<String, ?> model) {
        return html(app.templates().render(name, model));
    }

    @Override
    public Context redirect(String location, int status) {
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            throw new IllegalArgumentException("not a redirect status: " + status);
        }
        this.status = status;
        responseHeaders.set(HttpHeaderNames.LOCATION, location);
        return respond(new byte[0], null);
    }

    @Override
    public boolean responded() {
        return responded;
    }

    /** Sets the body, and the content type unless the handler chose one. */
    private Context respond(byte[] bytes, String defaultType) {
        body = bytes;
        bodyFile = null;
        responseHeaders.remove(HttpHeaderNames.CONTENT_LENGTH); // a streamed file's length, if one was set
        responded = true;
        if (defaultType != null && !responseHeaders.contains(HttpHeaderNames.CONTENT_TYPE)) {
            responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, defaultType);
        }
        return this;
    }
}
