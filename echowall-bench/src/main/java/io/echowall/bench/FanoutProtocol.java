package io.echowall.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How a fan-out run's messages travel inside WebSocket messages: as they are, or as Socket.IO events.
 *
 * <p>Socket.IO speaks its own protocol over the WebSocket (Engine.IO v4, WebSocket transport only):
 * the server opens with an Engine.IO open packet ({@code 0{...}}), the client connects to the
 * default namespace ({@code 40}), the server acknowledges ({@code 40{...}}), and events travel as
 * {@code 42["m","<payload>"]}: the run's payloads are ASCII without quotes or backslashes, so they go
 * into the JSON string as they are. The server pings ({@code 2}) and the client answers ({@code 3}).
 */
enum FanoutProtocol {
    /** Each run message is one WebSocket message, byte for byte. */
    WEBSOCKET("", ""),
    /** Each run message is the one argument of a Socket.IO event named {@code m}. */
    SOCKET_IO("42[\"m\",\"", "\"]");

    /** Engine.IO packet types (the first byte of a text frame). */
    static final byte OPEN = '0';
    static final byte PING = '2';
    static final byte MESSAGE = '4';
    /** Socket.IO packet types (the second byte of an Engine.IO message packet). */
    static final byte CONNECT = '0';
    static final byte DISCONNECT = '1';
    static final byte EVENT = '2';
    static final byte CONNECT_ERROR = '4';
    /** What a client sends to connect to the default namespace. */
    static final byte[] CONNECT_PACKET = {MESSAGE, CONNECT};
    /** The answer to a ping. */
    static final byte[] PONG_PACKET = {'3'};

    private final byte[] prefix;
    private final byte[] suffix;

    FanoutProtocol(String prefix, String suffix) {
        this.prefix = prefix.getBytes(StandardCharsets.US_ASCII);
        this.suffix = suffix.getBytes(StandardCharsets.US_ASCII);
    }

    /** The bytes before a payload in a WebSocket message; never modify. */
    byte[] prefix() {
        return prefix;
    }

    /** The bytes after a payload in a WebSocket message; never modify. */
    byte[] suffix() {
        return suffix;
    }

    /** The length of the WebSocket message that carries a payload of {@code size} bytes. */
    int messageLength(int size) {
        return prefix.length + size + suffix.length;
    }

    String displayName() {
        return this == WEBSOCKET ? "websocket" : "socketio";
    }

    /** {@code websocket} or {@code socketio}. */
    static FanoutProtocol choose(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "websocket" -> WEBSOCKET;
            case "socketio", "socket.io" -> SOCKET_IO;
            default -> throw new BenchException(BenchException.SETUP, "--protocol must be websocket or socketio, not " + name);
        };
    }
}
