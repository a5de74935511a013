package io.echowall.testing;

import io.echowall.Echowall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link TestServer}: starting an app, addressing it, plain HTTP calls, connecting clients and closing. */
@Timeout(30)
class TestServerTest {

    private static Echowall echo(String host) {
        var app = Echowall.create(c -> c.withHost(host));
        app.get("/hello", ctx -> ctx.text("hello, " + ctx.queryParam("name")));
        app.post("/echo", ctx -> ctx.contentType(ctx.header("Content-Type")).text(ctx.body()));
        app.put("/bytes", ctx -> ctx.bytes(ctx.bodyBytes()));
        app.ws("/ws", ws -> {
            for (var m : ws) {
                ws.send(m);
            }
        });
        return app;
    }

    @Test
    void anAppOnEveryInterfaceIsReachedOnLoopback() {
        try (var server = TestServer.start(echo("0.0.0.0")); var client = server.connect("/ws")) {
            assertThat(server.uri("/hello?name=x")).hasToString("http://127.0.0.1:" + server.port() + "/hello?name=x");
            assertThat(server.wsUri("/ws")).hasToString("ws://127.0.0.1:" + server.port() + "/ws");
            assertThat(server.get("/hello?name=ada").body()).isEqualTo("hello, ada");
            client.send("hi");
            client.expectText("hi");
        }
    }

    @Test
    void anAppOnLoopbackIsAddressedThere() {
        try (var server = TestServer.start(echo("127.0.0.1"))) {
            assertThat(server.uri("/")).hasToString("http://127.0.0.1:" + server.port() + "/");
            assertThat(server).hasToString("TestServer(http://127.0.0.1:" + server.port() + "/)");
        }
    }

    @Test
    void postAndSendGoThroughTheJdkClient() {
        try (var server = TestServer.start(echo("127.0.0.1"))) {
            HttpResponse<String> posted = server.post("/echo", "{\"a\":\"é\"}", "application/json; charset=utf-8");
            assertThat(posted.statusCode()).isEqualTo(200);
            assertThat(posted.body()).isEqualTo("{\"a\":\"é\"}");
            assertThat(posted.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");

            HttpResponse<String> missing = server.send(HttpRequest.newBuilder(server.uri("/nothing")).DELETE());
            assertThat(missing.statusCode()).isEqualTo(404);

            byte[] bytes = {0, 1, (byte) 0xFF};
            HttpResponse<byte[]> echoed = server.send(HttpRequest.newBuilder(server.uri("/bytes"))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(echoed.body()).containsExactly(bytes);
        }
    }

    @Test
    void aRequestThatGetsNoAnswerFailsWithinTheDeadline() {
        CountDownLatch release = new CountDownLatch(1);
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.get("/stuck", ctx -> {
            if (!release.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released /stuck");
            }
            ctx.text("late");
        });
        try (var server = TestServer.start(app).within(Duration.ofMillis(300))) {
            assertThatThrownBy(() -> server.get("/stuck"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("GET " + server.uri("/stuck") + ": no response within 300 ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aRefusedUpgradeFailsWithTheStatus() {
        var app = echo("127.0.0.1");
        app.before("/ws", ctx -> {
            if (!"letmein".equals(ctx.header("X-Key"))) {
                ctx.status(401).text("who are you?");
            }
        });
        try (var server = TestServer.start(app)) {
            assertThatThrownBy(() -> server.connect("/ws"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("could not connect to " + server.wsUri("/ws")
                            + ": the server answered 401 instead of 101 Switching Protocols");
            try (var client = server.connect("/ws", Map.of("X-Key", "letmein"))) {
                client.send("in");
                client.expectText("in");
            }
        }
    }

    @Test
    void closeStopsTheAppClosesItsClientsAndCanBeRepeated() throws IOException {
        var server = TestServer.start(echo("127.0.0.1"));
        var client = server.connect("/ws");
        int port = server.port();

        server.close();

        assertThat(client.expectClose(1001)).isEqualTo("server shutting down");
        assertThat(client.webSocket().isInputClosed()).isTrue();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        server.close();
    }

    @Test
    void pathsAndDeadlinesAreChecked() {
        try (var server = TestServer.start(echo("127.0.0.1"))) {
            assertThatThrownBy(() -> server.uri("hello")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("starts with /");
            assertThatThrownBy(() -> server.within(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> server.within(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anAppThatAlreadyStartedIsRefused() {
        try (var app = echo("127.0.0.1").start(0)) {
            assertThatThrownBy(() -> TestServer.start(app)).isInstanceOf(IllegalStateException.class);
        }
    }
}
