package io.echowall.demo;

import io.echowall.Echowall;
import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The fan-out endpoint keeps the benchmark's contract in every style: a subscriber hears "ready"
 * once it has joined, then every publication in order, text and binary as sent; a publisher hears
 * nothing, its own messages included.
 */
@Timeout(60)
class FanoutRoomTest {

    @ParameterizedTest
    @EnumSource(EchoWall.Style.class)
    void subscribersGetReadyThenEveryPublicationInOrderAndPublishersGetNothing(EchoWall.Style style) {
        Echowall app = Echowall.create(c -> c.withHost("127.0.0.1"));
        FanoutRoom.install(app, style);
        try (TestServer server = TestServer.start(app)) {
            List<TestClient> subscribers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                TestClient subscriber = server.connect(FanoutRoom.PATH);
                subscriber.expectText("ready");
                subscribers.add(subscriber);
            }
            TestClient first = server.connect(FanoutRoom.PATH + "?role=publisher");
            TestClient second = server.connect(FanoutRoom.PATH + "?x=1&role=publisher");
            for (int n = 0; n < 50; n++) {
                first.send("a" + n);
            }
            for (TestClient subscriber : subscribers) {
                for (int n = 0; n < 50; n++) {
                    subscriber.expectText("a" + n);
                }
            }
            second.send(new byte[] {1, 2, 3});
            for (TestClient subscriber : subscribers) {
                subscriber.expectBinary(new byte[] {1, 2, 3});
            }
            first.expectNoMessage(Duration.ofMillis(200));
            second.expectNoMessage(Duration.ofMillis(50));
            subscribers.forEach(TestClient::close);
            first.close();
            second.close();
        }
    }
}
