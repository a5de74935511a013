package io.echowall;

import io.echowall.testing.RawWebSocket;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits against abuse, each from outside with raw sockets: the client over a limit gets the
 * documented answer, everyone else is served as before. Clients on 127.0.0.2 and 127.0.0.3 stand for
 * other addresses.
 */
@Timeout(60)
class LimitsTest {

    private static final String HTTP_GET = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    private TestServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(UnaryOperator<EchowallConfig> config, WebSocketOptions options) {
        var app = Echowall.create(c -> config.apply(c.withHost("127.0.0.1")));
        app.get("/hello", ctx -> ctx.text("hello"));
        app.get("/whoami", ctx -> ctx.text(ctx.remoteAddress().getAddress().getHostAddress()));
        app.ws("/echo", options, ws -> {
            for (var message : ws) {
                ws.send(message);
            }
        });
        app.ws("/whoami", ws -> ws.send(ws.remoteAddress().getAddress().getHostAddress()));
        server = TestServer.start(app);
    }

    private RawHttp http() throws IOException {
        RawHttp http = RawHttp.connect(server.port());
        clients.add(http);
        return http;
    }

    /** Sends an upgrade for {@code path} from {@code localAddress}, with {@code headers}; the answer is in response(). */
    private RawWebSocket upgrade(String localAddress, String path, String... headers) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        RawWebSocket ws = RawWebSocket.send(socket,
                RawWebSocket.request(server.port(), path, headers).getBytes(StandardCharsets.ISO_8859_1));
        clients.add(ws);
        return ws;
    }

    @Test
    void aConnectionPastTheServerLimitGets503AndTheOthersAreServed() throws Exception {
        start(c -> c.withMaxConnections(3), WebSocketOptions.defaults());
        List<RawHttp> admitted = List.of(http(), http(), http());
        RawHttp over = http();
        RawHttp.Response refused = over.send(HTTP_GET).read();
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("5");
        assertThat(refused.header("Connection")).isEqualTo("close");
        assertThat(refused.text()).contains("The server is at its connection limit. Try again shortly.");
        for (RawHttp client : admitted) {
            assertThat(client.send(HTTP_GET).read().status()).isEqualTo(200);
        }
        admitted.get(0).close();
        over.close();
        // The limit counts open connections: one closed makes room for one more.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
            try (RawHttp again = RawHttp.connect(server.port())) {
                assertThat(again.send(HTTP_GET).read().status()).isEqualTo(200);
            }
        });
    }

    @Test
    void anAddressPastItsWebSocketLimitGets429AndOtherAddressesConnect() throws Exception {
        start(c -> c.withMaxWebSocketsPerAddress(2), WebSocketOptions.defaults());
        assertThat(upgrade("127.0.0.2", "/echo").response().status()).isEqualTo(101);
        RawWebSocket second = upgrade("127.0.0.2", "/echo");
        assertThat(second.response().status()).isEqualTo(101);
        RawWebSocket.Response refused = upgrade("127.0.0.2", "/echo").response();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("10");
        assertThat(refused.body()).contains("Your address holds as many WebSocket connections as this server allows one address.");

        RawWebSocket other = upgrade("127.0.0.3", "/echo");
        assertThat(other.response().status()).isEqualTo(101);
        other.sendText("still served");
        assertThat(other.read().text()).isEqualTo("still served");
        assertThat(http().send(HTTP_GET).read().status()).as("HTTP from the limited address").isEqualTo(200);

        second.sendClose(1000, "");
        assertThat(second.readClose().closeCode()).isEqualTo(1000);
        assertThat(second.serverClosedConnection()).isTrue();
        second.close(); // the connection counts until its TCP connection is gone, both ways
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> upgrade("127.0.0.2", "/echo").response().status() == 101);
    }

    @Test
    void upgradesPastTheRateLimitGet503WithRetryAfter() throws Exception {
        start(c -> c.withHandshakeRateLimit(1), WebSocketOptions.defaults());
        int attempts = 20;
        List<Integer> statuses = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < attempts; i++) {
            RawWebSocket ws = upgrade("127.0.0.2", "/echo");
            statuses.add(ws.response().status());
            if (ws.response().status() == 503) {
                assertThat(ws.response().header("Retry-After")).isEqualTo("1");
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        // One a second with a burst of one: at most one admitted per second begun, plus the first.
        assertThat(Collections.frequency(statuses, 101)).isBetween(1, (int) seconds + 2);
        assertThat(Collections.frequency(statuses, 101) + Collections.frequency(statuses, 503)).isEqualTo(attempts);
        assertThat(http().send(HTTP_GET).read().status()).as("HTTP is not rate limited").isEqualTo(200);
    }

    @Test
    void trustedProxiesNameTheClientForRemoteAddressAndLimits() throws Exception {
        start(c -> c.withTrustedProxies("X-Forwarded-For", "127.0.0.2").withMaxWebSocketsPerAddress(1),
                WebSocketOptions.defaults());
        String forged = "X-Forwarded-For: 6.6.6.6, 203.0.113.9";
        RawWebSocket proxied = upgrade("127.0.0.2", "/whoami", forged);
        assertThat(proxied.response().status()).isEqualTo(101);
        assertThat(proxied.read().text()).isEqualTo("203.0.113.9");
        // Another client behind the same proxy is another address; the same client is over its limit.
        assertThat(upgrade("127.0.0.2", "/echo", "X-Forwarded-For: 203.0.113.10").response().status()).isEqualTo(101);
        assertThat(upgrade("127.0.0.2", "/echo", "X-Forwarded-For: 203.0.113.10").response().status()).isEqualTo(429);

        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress("127.0.0.2", 0));
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            socket.getOutputStream().write(("GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "X-Forwarded-For: 198.51.100.4\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).endsWith("198.51.100.4");
        }
        // A peer that is not a trusted proxy is the client, whatever it claims.
        RawHttp.Response direct = RawHttp.exchange(server.port(),
                "GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: 198.51.100.4\r\nConnection: close\r\n\r\n");
        assertThat(direct.text()).isEqualTo("127.0.0.1");
    }

    @Test
    void aClientOverItsMessageRateIsSlowedAndLosesNothing() throws Exception {
        start(c -> c, WebSocketOptions.defaults().withRateLimit(10, 0));
        RawWebSocket ws = upgrade("127.0.0.2", "/echo");
        int messages = 30;
        long started = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            ws.sendText("m" + i); // each goes at once: the server reads them far faster than 10 a second
        }
        for (int i = 0; i < messages; i++) {
            assertThat(ws.read().text()).isEqualTo("m" + i);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // A burst of 10 at once, then 10 a second: the last 20 take at least 2 s. A lower bound only,
        // which a slow machine cannot break.
        assertThat(seconds).isGreaterThanOrEqualTo(1.9);
        RawWebSocket other = upgrade("127.0.0.3", "/echo");
        other.sendText("unaffected");
        assertThat(other.read().text()).isEqualTo("unaffected");
    }
}
