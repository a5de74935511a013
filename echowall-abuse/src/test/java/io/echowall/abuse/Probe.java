package io.echowall.abuse;

import io.echowall.testing.RawWebSocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A fresh, well-behaved client: connects, upgrades and has one message echoed, timing each step. It
 * is how the tests ask whether the server still serves newcomers.
 */
final class Probe {

    /** How long a probe took: to the 101 response, and to the echo. */
    record Timing(Duration handshake, Duration echo) {
    }

    private Probe() {
    }

    /**
     * Connects to {@code path} (an echo endpoint), sends one text message and reads it back; the
     * connect, the 101 and the echo each wait at most {@code timeout}.
     *
     * @throws IOException if any step fails or times out, or the echo differs
     */
    static Timing echo(int port, String path, String text, Duration timeout) throws IOException {
        long start = System.nanoTime();
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        byte[] request = RawWebSocket.request(port, path).getBytes(StandardCharsets.ISO_8859_1);
        try (RawWebSocket ws = RawWebSocket.send(socket, request)) {
            if (ws.response().status() != 101) {
                throw new IOException("the upgrade got " + ws.response().status() + " instead of 101");
            }
            Duration handshake = Duration.ofNanos(System.nanoTime() - start);
            ws.sendText(text);
            // Skips control frames: a keepalive ping may come first.
            for (RawWebSocket.Frame frame = ws.read(); frame != null; frame = ws.read()) {
                if (frame.opcode() == RawWebSocket.TEXT) {
                    if (!frame.text().equals(text)) {
                        throw new IOException("echo of '" + text + "' came back as '" + frame.text() + "'");
                    }
                    return new Timing(handshake, Duration.ofNanos(System.nanoTime() - start));
                }
                if (frame.opcode() == RawWebSocket.CLOSE) {
                    throw new IOException("closed with " + frame.closeCode() + " instead of echoing");
                }
            }
            throw new IOException("the connection ended before the echo");
        }
    }
}
