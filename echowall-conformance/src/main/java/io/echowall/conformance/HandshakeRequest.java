package io.echowall.conformance;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * An opening-handshake request (RFC 6455 section 4.1) that cases can bend: any method, version, header set.
 *
 * @param method  the request method
 * @param target  the request target (path and query)
 * @param version the HTTP version token
 * @param headers the header lines in order
 */
record HandshakeRequest(String method, String target, String version, List<Header> headers) {

    HandshakeRequest {
        headers = List.copyOf(headers);
    }

    /** The request a conforming client sends to {@code uri}, with a fresh key (RFC 6455 section 4.1). */
    static HandshakeRequest standard(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new HandshakeRequest("GET", target, "HTTP/1.1", List.of(
                new Header("Host", uri.getHost() + ":" + Target.port(uri)),
                new Header("Upgrade", "websocket"),
                new Header("Connection", "Upgrade"),
                new Header("Sec-WebSocket-Key", newKey()),
                new Header("Sec-WebSocket-Version", "13")));
    }

    /** A key as section 4.1 asks: 16 random bytes, base64-encoded. A test client needs no strong randomness. */
    static String newKey() {
        var bytes = new byte[16];
        new Random().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The first value of a header, or null. */
    String header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst().orElse(null);
    }

    /** This request with every {@code name} header replaced by one with {@code value}, at the first one's place. */
    HandshakeRequest with(String name, String value) {
        var changed = new ArrayList<Header>();
        boolean placed = false;
        for (Header header : headers) {
            if (!header.name().equalsIgnoreCase(name)) {
                changed.add(header);
            } else if (!placed) {
                changed.add(new Header(name, value));
                placed = true;
            }
        }
        if (!placed) {
            changed.add(new Header(name, value));
        }
        return new HandshakeRequest(method, target, version, changed);
    }

    /** This request with one more header line, even if one of that name exists. */
    HandshakeRequest adding(String name, String value) {
        var changed = new ArrayList<>(headers);
        changed.add(new Header(name, value));
        return new HandshakeRequest(method, target, version, changed);
    }

    HandshakeRequest without(String name) {
        return new HandshakeRequest(method, target, version,
                headers.stream().filter(h -> !h.name().equalsIgnoreCase(name)).toList());
    }

    HandshakeRequest withMethod(String newMethod) {
        return new HandshakeRequest(newMethod, target, version, headers);
    }

    HandshakeRequest withVersion(String newVersion) {
        return new HandshakeRequest(method, target, newVersion, headers);
    }

    byte[] toBytes() {
        var text = new StringBuilder(method).append(' ').append(target).append(' ').append(version).append("\r\n");
        for (Header header : headers) {
            text.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
