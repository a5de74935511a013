package io.echowall.abuse;

import io.echowall.testing.RawWebSocket;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attack 9: a request line claiming HTTP/2.0 over plain HTTP/1 framing. The server speaks HTTP/1.x
 * only and must say so with 505 (RFC 9110 section 15.6.6) rather than serve it as if it were 1.1.
 */
@Timeout(60)
class HttpVersionTest {

    private Target target;

    @AfterEach
    void stopTarget() throws InterruptedException {
        if (target != null) {
            target.stop();
        }
    }

    @Test
    void anHttp2RequestLineGets505() throws Exception {
        Summary.run("http2-request-line style=BLOCKING", summary -> {
            target = Target.start("http-version", HandlerStyle.BLOCKING, false);
            Health.Baseline baseline = Health.baseline(target, summary);
            int status;
            // RawWebSocket.send is a raw HTTP exchange: the request as written, the response as it comes.
            try (RawWebSocket exchange = RawWebSocket.send(target.port(),
                    "GET / HTTP/2.0\r\nHost: 127.0.0.1:" + target.port() + "\r\n\r\n")) {
                status = exchange.response().status();
            }
            summary.put("status", status);
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(status).as("the answer to GET / HTTP/2.0").isEqualTo(505);
            Health.checkHealthyAfter(target, baseline, summary, soft);
            soft.assertAll();
        });
    }
}
