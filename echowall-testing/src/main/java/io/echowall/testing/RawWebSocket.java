package io.echowall.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The low-level WebSocket client, over a plain socket on 127.0.0.1, for protocol edge cases that
 * well-behaved clients such as {@link TestClient} refuse to produce: broken or unusual handshakes,
 * reserved bits and opcodes, unmasked or chopped frames, several frames in one write, invalid close
 * codes. It sends bytes exactly as told and shows every frame the server sends, pings and close
 * frames included; it answers nothing by itself.
 *
 * <pre>{@code
 * try (RawWebSocket ws = RawWebSocket.open(server.port(), "/echo")) {
 *     ws.sendFrame(0x80 | 0x40 | RawWebSocket.TEXT, "RSV1 without an extension".getBytes(UTF_8), true);
 *     assertEquals(1002, ws.readClose().closeCode());
 * }
 * }</pre>
 *
 * <p>Reads wait up to 10 s unless {@linkplain #readTimeout(int) told otherwise}. Frame bytes follow
 * RFC 6455 section 5.2: the first byte holds FIN ({@code 0x80}), RSV1-3 ({@code 0x40}, {@code 0x20},
 * {@code 0x10}) and the opcode.
 */
public final class RawWebSocket implements AutoCloseable {

    /**
     * A frame from the server.
     *
     * @param fin     whether it is the last frame of its message
     * @param rsv     the three reserved bits, RSV1 being 4
     * @param opcode  the opcode, such as {@link #TEXT} or {@link #CLOSE}
     * @param payload the payload (servers do not mask)
     */
    public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {

        /** The payload decoded as UTF-8. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame, or -1 if it has none. */
        public int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF) : -1;
        }

        /** The reason of a close frame, or an empty string if it has none. */
        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    /**
     * The server's answer to the handshake: its status, headers and, if it had a Content-Length, body.
     *
     * @param status  the status code, 101 for an accepted upgrade
     * @param headers the header fields, names in lower case (one value per name: the last one)
     * @param body    the body as UTF-8, empty without a Content-Length
     */
    public record Response(int status, Map<String, String> headers, String body) {

        /** The value of header {@code name}, whatever its case, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** The opcode of a text frame. */
    public static final int TEXT = 1;
    /** The opcode of a binary frame. */
    public static final int BINARY = 2;
    /** The opcode of a close frame. */
    public static final int CLOSE = 8;
    /** The opcode of a ping. */
    public static final int PING = 9;
    /** The opcode of a pong. */
    public static final int PONG = 10;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private Response handshake;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A fresh random {@code Sec-WebSocket-Key}: 16 random bytes in base64. */
    public static String newKey() {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * The standard handshake request for {@code path} on 127.0.0.1:{@code port}, with {@code extraHeaders}
     * (whole lines without CRLF, such as {@code "Origin: http://example.com"}) appended; edit the string
     * to break it.
     */
    public static String request(int port, String path, String... extraHeaders) {
        StringBuilder s = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + newKey() + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (String h : extraHeaders) {
            s.append(h).append("\r\n");
        }
        return s.append("\r\n").toString();
    }

    /**
     * Connects to 127.0.0.1:{@code port} and completes a standard handshake for {@code path}.
     *
     * @throws AssertionError unless the server answers 101
     */
    public static RawWebSocket open(int port, String path, String... extraHeaders) throws IOException {
        RawWebSocket ws = send(port, request(port, path, extraHeaders));
        if (ws.handshake.status() != 101) {
            ws.close();
            throw new AssertionError("expected 101, got " + ws.handshake);
        }
        return ws;
    }

    /**
     * Connects to 127.0.0.1:{@code port}, sends {@code rawRequest} verbatim (as ISO-8859-1 bytes, one write)
     * and reads the response head; {@link #response()} has it, whatever its status. Bytes after the
     * request, such as a frame sent before the answer, go out in the same write.
     */
    public static RawWebSocket send(int port, String rawRequest) throws IOException {
        RawWebSocket ws = new RawWebSocket(new Socket("127.0.0.1", port));
        ws.out.write(rawRequest.getBytes(StandardCharsets.ISO_8859_1));
        ws.out.flush();
        ws.handshake = ws.readResponse();
        return ws;
    }

    /**
     * Sends {@code bytes} verbatim, in one write, on a socket the caller connected (and configured,
     * say with a connect timeout or a small receive buffer), then reads the response head. The bytes
     * may run past the request, such as a frame sent before the answer. A read timeout set on the
     * socket is kept (otherwise reads wait 10 s, as for the other factories); the socket is closed if
     * the exchange fails.
     */
    public static RawWebSocket send(Socket socket, byte[] bytes) throws IOException {
        try {
            int readTimeout = socket.getSoTimeout();
            RawWebSocket ws = new RawWebSocket(socket);
            if (readTimeout > 0) {
                ws.readTimeout(readTimeout);
            }
            ws.out.write(bytes);
            ws.out.flush();
            ws.handshake = ws.readResponse();
            return ws;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The server's answer to the handshake. */
    public Response response() {
        return handshake;
    }

    private Response readResponse() throws IOException {
        String statusLine = readLine();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        String body = "";
        if (headers.containsKey("content-length")) {
            body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
        }
        return new Response(status, headers, body);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed in the middle of the response head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends one frame; {@code first} is the frame's first byte (FIN, RSV1-3 and the opcode), and
     * {@code masked} says whether to mask it as clients must (RFC 6455 section 5.3).
     */
    public void sendFrame(int first, byte[] payload, boolean masked) throws IOException {
        out.write(encode(first, payload, masked));
        out.flush();
    }

    /** Sends one final, masked frame with {@code opcode}. */
    public void send(int opcode, byte[] payload) throws IOException {
        sendFrame(0x80 | opcode, payload, true);
    }

    /** Sends a text message as one final, masked frame. */
    public void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a masked close frame with {@code code} and {@code reason}, whatever their validity. */
    public void sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        send(CLOSE, payload);
    }

    /** Writes {@code bytes} as they are, in one write: chopped frames, several frames at once. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * The bytes of a client frame with {@code first} as its first byte (FIN, RSV1-3, opcode), masked
     * with a random key if {@code masked}; concatenate several for {@link #sendRaw(byte[])}.
     */
    public static byte[] encode(int first, byte[] payload, boolean masked) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(first);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            frame.write(maskBit | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        if (!masked) {
            frame.writeBytes(payload);
            return frame.toByteArray();
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.writeBytes(mask);
        byte[] masked8 = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked8[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        frame.writeBytes(masked8);
        return frame.toByteArray();
    }

    /**
     * The next frame from the server, whatever its type, or null if the server closed the TCP connection.
     *
     * @throws java.net.SocketTimeoutException if nothing comes within the read timeout
     * @throws AssertionError                   if the server sent a masked frame, which RFC 6455 section 5.1 forbids
     */
    public Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.read();
        if (b1 < 0) {
            return null;
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | in.read();
            }
        }
        if ((b1 & 0x80) != 0) {
            throw new AssertionError("the server sent a masked frame");
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            return null;
        }
        return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0x0F, payload);
    }

    /** Reads until a close frame (returned) or the end of the connection (null), skipping other frames. */
    public Frame readClose() throws IOException {
        for (Frame f = read(); f != null; f = read()) {
            if (f.opcode() == CLOSE) {
                return f;
            }
        }
        return null;
    }

    /** Whether the server closed the TCP connection: the next read finds the end of the stream. */
    public boolean serverClosedConnection() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true; // a reset is a closed connection too
        }
    }

    /** Sets how long reads wait, in milliseconds (0 waits forever). */
    public void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Closes the socket at once, without a closing handshake. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
