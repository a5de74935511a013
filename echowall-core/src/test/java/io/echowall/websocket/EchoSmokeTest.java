package io.echowall.websocket;

import io.echowall.Echowall;
import io.echowall.JdkClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class EchoSmokeTest {

    @Test
    void blockingEchoAnswersTextAndBinary() throws Exception {
        try (var app = Echowall.create(c -> c.withHost("127.0.0.1"))) {
            app.ws("/foobar", ws -> {
                for (var m : ws) {
                    ws.send(m);
                }
            });
            app.start(0);
            try (var client = JdkClient.connect(URI.create("ws://127.0.0.1:" + app.port() + "/foobar/"))) {
                client.sendText("héllo");
                assertThat(client.next()).isEqualTo("héllo");
                client.sendBinary(new byte[] {0, 1, 2, (byte) 255});
                assertThat((byte[]) client.next()).containsExactly(0, 1, 2, 255);
            }
        }
    }
}
