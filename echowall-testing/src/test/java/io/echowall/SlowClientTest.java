package io.echowall;

import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that send too slowly, or not at all, are bounded by the request deadline (the idle timeout):
 * a trickled request gets 408, a silent connection is closed, and a slow handler is not cut off.
 */
@Timeout(30)
class SlowClientTest {

    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private TestServer server;

    @BeforeEach
    void start() {
        var app = Echowall.create(c -> c.withHost("127.0.0.1").withIdleTimeout(Duration.ofMillis(500)));
        app.get("/", ctx -> ctx.text("hello"));
        app.get("/slow", ctx -> {
            if (!releaseSlow.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released /slow");
            }
            ctx.text("worth the wait");
        });
        server = TestServer.start(app);
    }

    @AfterEach
    void stop() throws IOException {
        releaseSlow.countDown();
        try (Socket socket = connect()) {
            send(socket, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(readAll(socket)).startsWith("HTTP/1.1 200").endsWith("hello");
        }
        server.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readAll(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    @Test
    void aRequestTrickledPastTheDeadlineGets408AndTheConnectionCloses() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET / HTTP/1.1\r\nHo"); // and nothing more: the rest never comes
            String response = readAll(socket);
            assertThat(response).startsWith("HTTP/1.1 408");
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWithoutAResponse() throws IOException {
        try (Socket socket = connect()) {
            assertThat(readAll(socket)).isEmpty();
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedQuietlyAfterItsResponse() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            String all = readAll(socket); // the response, then the end of the stream
            assertThat(all).startsWith("HTTP/1.1 200").endsWith("hello").doesNotContain("408");
        }
    }

    @Test
    void aHandlerSlowerThanTheDeadlineIsNotCutOff() throws IOException {
        try (Socket socket = connect(); Socket idle = connect()) {
            send(socket, "GET /slow HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            // The idle connection opened with it is closed by its deadline: the deadline has passed.
            assertThat(readAll(idle)).isEmpty();
            releaseSlow.countDown();
            assertThat(readAll(socket)).startsWith("HTTP/1.1 200").endsWith("worth the wait");
        }
    }
}
