package io.echowall.internal;

import io.echowall.CloseStatus;
import io.netty.handler.codec.http.HttpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;

/**
 * One INFO line per HTTP response and per WebSocket close, to the logger {@code io.echowall.access},
 * when the app enables it. Request targets are escaped: what a client sends must not forge log lines.
 */
final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("io.echowall.access");

    private final boolean enabled;

    AccessLog(boolean enabled) {
        this.enabled = enabled;
    }

    /** Whether lines are written; callers skip the work of gathering what a line says otherwise. */
    boolean enabled() {
        return enabled && log.isInfoEnabled();
    }

    /** {@code 127.0.0.1:50312 "GET /notes?page=2 HTTP/1.1" 200 1432 B 3 ms} */
    void response(SocketAddress peer, HttpRequest request, int status, long bodyBytes, long startedNanos) {
        if (enabled()) {
            log.info("{} \"{} {} {}\" {} {} B {} ms", address(peer), request.method(), escape(request.uri()),
                    request.protocolVersion(), status, bodyBytes, millisSince(startedNanos));
        }
    }

    /** {@code 127.0.0.1:50314 "WebSocket /foobar/" 1000 "bye" 5021 ms}: logged when the connection ends. */
    void webSocketClosed(SocketAddress peer, String path, CloseStatus status, long openedNanos) {
        if (enabled()) {
            log.info("{} \"WebSocket {}\" {} \"{}\" {} ms", address(peer), escape(path), status.code(),
                    escape(status.reason()), millisSince(openedNanos));
        }
    }

    private static String address(SocketAddress peer) {
        return peer == null ? "-" : peer.toString().replaceFirst("^.*/", "");
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Printable ASCII as is (but quotes and backslashes), everything else as {@code \xNN} per UTF-16 unit. */
    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
            if (!plain && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (plain) {
                    out.append(c);
                } else if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else {
                    out.append(c > 0xff ? String.format("\\u%04x", (int) c) : String.format("\\x%02x", (int) c));
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
