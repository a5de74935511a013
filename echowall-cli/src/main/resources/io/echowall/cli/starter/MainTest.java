package {{package}};

import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app that main() serves, started on a free loopback port and checked with real clients. */
@Timeout(30)
class MainTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(Main.app(config -> config.withHost("127.0.0.1")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesThePageThatOpensTheWebSocket() {
        var page = server.get("/");

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("/foobar/"), "the page should open the WebSocket at /foobar/");
    }

    @Test
    void echoesEveryMessageWithItsType() {
        try (TestClient client = server.connect("/foobar/")) {
            client.send("hello, wall");
            client.expectText("hello, wall");
            client.send(new byte[] {1, 2, 3});
            client.expectBinary(new byte[] {1, 2, 3});
            client.expectNoMessage(Duration.ofMillis(100));
        }
    }
}
