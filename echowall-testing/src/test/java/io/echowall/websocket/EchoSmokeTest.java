package io.echowall.websocket;

import io.echowall.Echowall;
import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EchoSmokeTest {

    @Test
    void blockingEchoAnswersTextAndBinary() {
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.ws("/foobar", ws -> {
            for (var m : ws) {
                ws.send(m);
            }
        });
        try (TestServer server = TestServer.start(app); TestClient client = server.connect("/foobar/")) {
            client.send("héllo");
            client.expectText("héllo");
            client.send(new byte[] {0, 1, 2, (byte) 255});
            client.expectBinary(new byte[] {0, 1, 2, (byte) 255});
        }
    }
}
