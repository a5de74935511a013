package io.echowall.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The default error responses: a small HTML page, or for clients that ask for JSON a small JSON object.
 * They name the status and never carry internals.
 */
final class ErrorPages {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ErrorPages() {
    }

    /**
     * A complete error response for {@code status} with a one-line explanation, in JSON when
     * {@code request} (may be null: the request could not be read) asks for JSON rather than HTML.
     */
    static FullHttpResponse response(HttpRequest request, HttpResponseStatus status, String explanation) {
        String title = status.code() + " " + status.reasonPhrase();
        boolean json = request != null && wantsJson(request.headers().get(HttpHeaderNames.ACCEPT));
        byte[] body = json ? json(status, explanation) : ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>" + title + "</title></head>\n<body><h1>" + title + "</h1>\n<p>" + htmlEscape(explanation)
                + "</p></body></html>\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, json ? "application/json" : "text/html; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }

    /** Whether an Accept header asks for JSON and not for HTML (as browsers' do). */
    static boolean wantsJson(String accept) {
        return accept != null && (accept.contains("application/json") || accept.contains("+json"))
                && !accept.contains("text/html");
    }

    private static String htmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static byte[] json(HttpResponseStatus status, String explanation) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", status.code());
        error.put("error", status.reasonPhrase());
        error.put("message", explanation);
        try {
            return JSON.writeValueAsBytes(error);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and a number always serializes", e);
        }
    }
}
