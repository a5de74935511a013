package io.echowall;

import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What an operator sees: the start and stop lines, the access log, and a start that fails in one line. */
@Timeout(30)
class OperationsTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Echowall echoApp(boolean accessLog) {
        var app = Echowall.create(c -> c.withHost("127.0.0.1").withAccessLog(accessLog));
        app.get("/hello", ctx -> ctx.text("hello"));
        app.ws("/echo", ws -> {
            for (var message : ws) {
                ws.send(message);
            }
        });
        return app;
    }

    @Test
    void startAndStopAreLoggedAtInfoWithTheUrl() {
        try (LogCapture log = LogCapture.info("io.echowall")) {
            server = TestServer.start(echoApp(false));
            int port = server.port();
            assertThat(log.messages()).anyMatch(m -> m.startsWith("Echowall serving http://127.0.0.1:" + port + "/ ("));
            try (TestClient client = server.connect("/echo")) {
                client.send("hi");
                client.expectText("hi");
                server.close();
                server = null;
                client.expectClose(1001);
            }
            assertThat(log.messages()).anyMatch(m -> m.matches("Echowall stopped in \\d+ ms; 1 connection\\(s\\) were open"));
        }
    }

    @Test
    void theAccessLogHasOneLinePerResponseAndPerWebSocket() throws Exception {
        try (LogCapture log = LogCapture.info("io.echowall.access")) {
            server = TestServer.start(echoApp(true));
            assertThat(server.get("/hello?page=2").statusCode()).isEqualTo(200);
            RawHttp.exchange(server.port(), "GET /say\"hi HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            try (TestClient client = server.connect("/echo")) {
                client.send("hi");
                client.expectText("hi");
                client.close(1000, "bye");
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(log.messages())
                    .anyMatch(m -> m.matches("127\\.0\\.0\\.1:\\d+ \"WebSocket /echo\" 1000 \"bye\" \\d+ ms")));
            assertThat(log.messages())
                    .anyMatch(m -> m.matches("127\\.0\\.0\\.1:\\d+ \"GET /hello\\?page=2 HTTP/1\\.1\" 200 5 B \\d+ ms"))
                    // The quote a client sent cannot end the quoted target and forge the rest of the line.
                    .anyMatch(m -> m.matches("127\\.0\\.0\\.1:\\d+ \"GET /say\\\\\"hi HTTP/1\\.1\" \\d{3} \\d+ B \\d+ ms"));
        }
    }

    @Test
    void theAccessLogIsOffByDefault() {
        try (LogCapture log = LogCapture.info("io.echowall.access")) {
            server = TestServer.start(echoApp(false));
            assertThat(server.get("/hello").statusCode()).isEqualTo(200);
            assertThat(log.messages()).isEmpty();
        }
    }

    @Test
    void aPortInUseFailsTheStartInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Echowall app = echoApp(false)) {
            assertThatThrownBy(() -> app.start(taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("port " + taken.getLocalPort() + " is in use: another process listens on it; stop it, "
                            + "or choose another port (echowall serve --port N, or app.start(N))")
                    .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
            // The app can still start elsewhere: the failed attempt released what it had set up.
            app.start(0);
            assertThat(app.port()).isNotEqualTo(taken.getLocalPort());
        }
    }
}
