package io.echowall.testing;

import io.echowall.CloseException;
import io.echowall.Echowall;
import io.echowall.Message;
import io.echowall.WebSocketOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link TestClient} against a small app: what it sends and receives, and the failure message of each
 * expectation that is not met (short deadlines keep those quick).
 */
@Timeout(30)
class TestClientTest {

    private static final Duration SHORT = Duration.ofMillis(200);

    private static TestServer server;

    @BeforeAll
    static void start() {
        var app = Echowall.create(c -> c.withHost("127.0.0.1").withMaxMessageSize(1024));
        app.ws("/echo", ws -> {
            for (var m : ws) {
                ws.send(m);
            }
        });
        app.ws("/greet", WebSocketOptions.defaults().withSubprotocols("chat.v1"),
                ws -> ws.send("hello " + ws.header("X-Name") + " over " + ws.subprotocol().orElse("nothing")));
        app.ws("/twice", ws -> {
            var m = ws.receive();
            ws.send(m);
            ws.send(m);
        });
        app.ws("/refuse", ws -> {
            throw new CloseException(4403, "not in this room");
        });
        server = TestServer.start(app);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sendsAndExpectsTextAndBinary() {
        try (var client = server.connect("/echo")) {
            client.send("héllo ✓");
            client.expectText("héllo ✓");
            client.send(new byte[] {0, 1, (byte) 0xFF});
            client.expectBinary(new byte[] {0, 1, (byte) 0xFF});
            client.send("as a message");
            assertThat(client.nextMessage()).isEqualTo(Message.text("as a message"));
            client.send(new byte[] {7});
            assertThat(client.nextMessage(SHORT.multipliedBy(10))).isEqualTo(Message.binary(new byte[] {7}));
            client.expectNoMessage(SHORT);
        }
    }

    @Test
    void headersAndSubprotocolsReachTheServer() {
        try (var client = server.connect("/greet", Map.of("X-Name", "ada"), "chat.v2", "chat.v1")) {
            assertThat(client.subprotocol()).isEqualTo("chat.v1");
            client.expectText("hello ada over chat.v1");
        }
    }

    @Test
    void anotherMessageThanExpectedFailsSayingWhatCame() {
        try (var client = server.connect("/echo")) {
            client.send("world");
            assertThatThrownBy(() -> client.expectText("hello")).isInstanceOf(AssertionError.class)
                    .hasMessage("expected text \"hello\" (5 chars), but got text \"world\" (5 chars)");
            client.send(new byte[] {1, 2});
            assertThatThrownBy(() -> client.expectText("hello")).isInstanceOf(AssertionError.class)
                    .hasMessage("expected text \"hello\" (5 chars), but got binary [01 02] (2 bytes)");
            client.send("x".repeat(100) + "a");
            assertThatThrownBy(() -> client.expectText("x".repeat(100) + "b")).isInstanceOf(AssertionError.class)
                    .hasMessageEndingWith("; they first differ at char 100");
            client.send(new byte[] {1, 2, 3});
            assertThatThrownBy(() -> client.expectBinary(new byte[] {1, 2, 4})).isInstanceOf(AssertionError.class)
                    .hasMessage("expected binary [01 02 04] (3 bytes), but got binary [01 02 03] (3 bytes)");
        }
    }

    @Test
    void nothingWithinTheDeadlineFailsSayingSo() {
        try (var client = server.connect("/echo").within(SHORT)) {
            assertThatThrownBy(() -> client.expectText("hello")).isInstanceOf(AssertionError.class)
                    .hasMessage("expected text \"hello\" (5 chars) within 200 ms, but nothing came");
            assertThatThrownBy(() -> client.nextMessage(Duration.ofMillis(50))).isInstanceOf(AssertionError.class)
                    .hasMessage("expected a message within 50 ms, but nothing came");
            assertThatThrownBy(() -> client.expectClose(1000)).isInstanceOf(AssertionError.class)
                    .hasMessage("expected the server to close with 1000 within 200 ms, but the connection is still open");
        }
    }

    @Test
    void anUnexpectedMessageFailsExpectNoMessage() {
        try (var client = server.connect("/twice")) {
            client.send("again");
            client.expectText("again");
            assertThatThrownBy(() -> client.expectNoMessage(SHORT)).isInstanceOf(AssertionError.class)
                    .hasMessage("expected no message for 200 ms, but got text \"again\" (5 chars)");
        }
    }

    @Test
    void theServersCloseIsCheckedAndNamedWhenAMessageNeverCame() {
        try (var client = server.connect("/refuse")) {
            assertThat(client.expectClose(4403)).isEqualTo("not in this room");
            assertThatThrownBy(() -> client.expectClose(1000)).isInstanceOf(AssertionError.class)
                    .hasMessage("expected the server to close with 1000, but it closed with 4403 \"not in this room\"");
            assertThatThrownBy(() -> client.nextMessage(SHORT)).isInstanceOf(AssertionError.class)
                    .hasMessage("expected a message within 200 ms, but nothing came;"
                            + " the connection closed with 4403 \"not in this room\"");
        }
    }

    @Test
    void aMessageOverTheLimitEndsInTheServersClose() {
        try (var client = server.connect("/echo")) {
            client.send(new byte[1025]);
            assertThat(client.expectClose(1009)).isEqualTo("message too big");
            assertThatThrownBy(() -> client.send("too late")).isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("sending text \"too late\" (8 chars) failed: ");
        }
    }

    @Test
    void theClientsCloseIsEchoedWithItsCodeAndReason() {
        try (var client = server.connect("/echo")) {
            client.send("before");
            client.close(4000, "bye ✓");
            client.expectText("before");
            assertThat(client.expectClose(4000)).isEqualTo("bye ✓");
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        var client = server.connect("/echo");
        client.close();
        client.close();
        assertThat(client.webSocket().isOutputClosed()).isTrue();
        assertThat(client.expectClose(1000)).isEmpty();
    }
}
