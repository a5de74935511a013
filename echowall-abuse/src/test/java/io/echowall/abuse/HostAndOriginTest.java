package io.echowall.abuse;

import io.echowall.testing.RawWebSocket;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * Attack 6: DNS rebinding and header smuggling against a server bound to 127.0.0.1. A page from
 * {@code evil.example} whose name now resolves to 127.0.0.1 sends its own name as Host and Origin,
 * which match each other, so only the Host check can refuse it (403), for WebSockets and plain HTTP
 * alike. Loopback names are served. Two Origin headers, even identical, are ambiguous and get 400.
 */
@Timeout(60)
class HostAndOriginTest {

    private static Target target;

    /** One request and the status it must get; {@code PORT} in the headers stands for the target's port. */
    record Case(String name, boolean upgrade, String path, int expected, String... headers) {
        @Override
        public String toString() {
            return name;
        }

        String request(int port) {
            String[] lines = Stream.of(headers).map(h -> h.replace("PORT", Integer.toString(port))).toArray(String[]::new);
            if (upgrade) {
                // RawWebSocket.request sends Host: 127.0.0.1:PORT; the cases carry their own Host instead.
                String standard = RawWebSocket.request(port, path, lines);
                return standard.replaceFirst("Host: 127\\.0\\.0\\.1:" + port + "\r\n", "");
            }
            return "GET " + path + " HTTP/1.1\r\n" + String.join("\r\n", lines) + "\r\nConnection: close\r\n\r\n";
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("upgrade from a rebinding host", true, "/echo", 403,
                        "Host: evil.example:PORT", "Origin: http://evil.example:PORT"),
                new Case("GET from a rebinding host", false, "/memory", 403, "Host: evil.example:PORT"),
                new Case("upgrade to localhost", true, "/echo", 101,
                        "Host: localhost:PORT", "Origin: http://localhost:PORT"),
                new Case("upgrade to 127.0.0.1", true, "/echo", 101,
                        "Host: 127.0.0.1:PORT", "Origin: http://127.0.0.1:PORT"),
                new Case("upgrade to [::1]", true, "/echo", 101,
                        "Host: [::1]:PORT", "Origin: http://[::1]:PORT"),
                new Case("GET from localhost", false, "/memory", 200, "Host: localhost:PORT"),
                new Case("GET from 127.0.0.1", false, "/memory", 200, "Host: 127.0.0.1:PORT"),
                new Case("GET from [::1]", false, "/memory", 200, "Host: [::1]:PORT"),
                new Case("upgrade with two identical Origins", true, "/echo", 400,
                        "Host: 127.0.0.1:PORT", "Origin: http://127.0.0.1:PORT", "Origin: http://127.0.0.1:PORT"),
                new Case("upgrade with two different Origins", true, "/echo", 400,
                        "Host: 127.0.0.1:PORT", "Origin: http://127.0.0.1:PORT", "Origin: http://evil.example:PORT"));
    }

    @BeforeAll
    static void startTarget() {
        target = Target.start("host-origin", HandlerStyle.BLOCKING, false);
    }

    @AfterAll
    static void stopTarget() throws InterruptedException {
        if (target != null) {
            target.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theHostAndOriginHeadersAreChecked(Case request) throws Exception {
        Summary.run("host-origin case='" + request.name() + "'", summary -> {
            Health.Baseline baseline = Health.baseline(target, summary);
            int status;
            try (RawWebSocket exchange = RawWebSocket.send(target.port(), request.request(target.port()))) {
                status = exchange.response().status();
            }
            summary.put("expected", request.expected());
            summary.put("status", status);
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(status).as(request.name()).isEqualTo(request.expected());
            Health.checkHealthyAfter(target, baseline, summary, soft);
            soft.assertAll();
        });
    }
}
