package io.echowall;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately dumb HTTP/1.1 client on a plain socket, for what normal clients refuse to send or
 * normalize away: malformed request lines, missing Host, {@code ..} in paths, several requests in one
 * write. It sends bytes exactly as given and parses responses by {@code Content-Length} only.
 * Every read waits at most 10 s.
 */
public final class RawHttp implements AutoCloseable {

    /** A parsed response. Header names are case-insensitive. */
    public record Response(String statusLine, int status, Map<String, List<String>> headers, byte[] body) {

        /** The first value of a header, or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        /** The body decoded as UTF-8. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int MAX_LINE = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code port} on 127.0.0.1. */
    public static RawHttp connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        return new RawHttp(socket);
    }

    /** Sends one request on a new connection and reads its response. */
    public static Response exchange(int port, String request) throws IOException {
        try (RawHttp http = connect(port)) {
            http.send(request);
            return http.read();
        }
    }

    /** Writes {@code text} as ISO-8859-1 bytes, unchanged, in one write. */
    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes {@code bytes} in one write. */
    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads the next response, which has a body unless its status says otherwise. */
    public Response read() throws IOException {
        return read(false);
    }

    /** Reads the next response to a HEAD request: headers only, whatever Content-Length says. */
    public Response readHead() throws IOException {
        return read(true);
    }

    private Response read(boolean head) throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new IOException("the connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not a status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int count = 0; ; count++) {
            String line = readLine();
            if (line == null) {
                throw new IOException("the connection closed inside the headers");
            }
            if (line.isEmpty()) {
                break;
            }
            if (count > 200) {
                throw new IOException("too many headers");
            }
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        byte[] body = new byte[0];
        boolean bodyless = head || status / 100 == 1 || status == 204 || status == 304;
        List<String> length = headers.get("content-length");
        if (!bodyless && headers.containsKey("transfer-encoding")) {
            throw new IOException("RawHttp does not read chunked responses");
        }
        if (!bodyless && length != null) {
            body = in.readNBytes(Integer.parseInt(length.get(0)));
        }
        return new Response(statusLine, status, headers, body);
    }

    /**
     * Waits until the server closes the connection, reading anything it still sends.
     *
     * @return the bytes received before the close (a reset counts as a close)
     * @throws SocketTimeoutException if the connection is still open after 10 s
     */
    public byte[] awaitClose() throws IOException {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                rest.write(chunk, 0, n);
                if (rest.size() > (1 << 20)) {
                    throw new IOException("more than 1 MiB after the response");
                }
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (SocketException reset) {
            // "Connection reset": the server closed with unread bytes from us; closed all the same.
        }
        return rest.toByteArray();
    }

    /** Reads one CRLF-terminated line (without the CRLF), or null at end of stream. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE);
            }
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
