package io.echowall.abuse;

import io.echowall.testing.RawWebSocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Opening attacker connections, and waiting for attacker threads, always with a deadline. */
final class Attackers {

    private Attackers() {
    }

    /**
     * Opens a WebSocket to {@code path} whose close resets the connection (SO_LINGER 0). When an attack
     * stops, the server may then drop whatever it had not read yet; after a graceful close it would
     * have to read, and inflate, megabytes the kernel still holds before seeing the end of the stream.
     */
    static RawWebSocket open(int port, String path, String... extraHeaders) throws IOException {
        Socket socket = new Socket();
        socket.setSoLinger(true, 0);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        RawWebSocket ws = RawWebSocket.send(socket,
                RawWebSocket.request(port, path, extraHeaders).getBytes(StandardCharsets.ISO_8859_1));
        if (ws.response().status() != 101) {
            ws.close();
            throw new IOException("the attacker's upgrade got " + ws.response().status() + " instead of 101");
        }
        return ws;
    }

    /** Waits for {@code threads} to end, until {@code deadline} (a {@link System#nanoTime()}) at the latest. */
    static void joinAll(List<Thread> threads, long deadline) throws InterruptedException {
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            thread.join(Duration.ofNanos(left));
        }
    }
}
