package io.echowall;

import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/1.1 on the wire, through a raw socket: what normal clients never send (malformed requests,
 * oversize parts, several requests in one write) and how connections are kept or closed. After every
 * bad request the server must still serve new connections.
 */
@Timeout(30)
class HttpProtocolTest {

    private static final int MAX_BODY = 1024;

    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private TestServer server;

    @BeforeEach
    void start() {
        var app = Echowall.create(c -> c.withHost("127.0.0.1").withMaxRequestBodySize(MAX_BODY));
        app.get("/ping", ctx -> ctx.text("pong"));
        app.get("/hello", ctx -> ctx.text("hello, " + ctx.queryParam("n")));
        app.post("/echo", ctx -> ctx.text(ctx.body()));
        app.get("/slow", ctx -> {
            slowStarted.countDown();
            if (!releaseSlow.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released /slow");
            }
            ctx.text("slow");
        });
        server = TestServer.start(app);
    }

    @AfterEach
    void stop() {
        releaseSlow.countDown();
        server.close();
    }

    private RawHttp connect() throws IOException {
        return RawHttp.connect(server.port());
    }

    private void assertServesNewConnection() throws IOException {
        RawHttp.Response response = RawHttp.exchange(server.port(), "GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("pong");
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    // ---------------------------------------------------------------- malformed requests

    @ParameterizedTest
    @ValueSource(strings = {
            "GARBAGE\r\n\r\n",
            "GET /\r\n\r\n",
            "GET / HTTP/1.1 extra\r\nHost: localhost\r\n\r\n",
            "GET / FTP/1.0\r\nHost: localhost\r\n\r\n",
            "GET / HTTP/1.1 \r\nHost: localhost\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nNo colon here\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nBad Name: x\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n",
            "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "GET nopath HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /%zz HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /%C3%28 HTTP/1.1\r\nHost: localhost\r\n\r\n"})
    void malformedRequestGets400AndTheConnectionCloses(String request) throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send(request).read();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(response.text()).contains("400 Bad Request");
            assertThat(http.awaitClose()).isEmpty();
        }
        assertServesNewConnection();
    }

    @Test
    void tlsHandshakeOnThePlainPortGets400() throws IOException {
        byte[] clientHello = {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03, '\r', '\n',
                '\r', '\n'};
        try (RawHttp http = connect()) {
            assertThat(http.send(clientHello).read().status()).isEqualTo(400);
            assertThat(http.awaitClose()).isEmpty();
        }
        assertServesNewConnection();
    }

    @Test
    void http11RequestWithoutHostGets400() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send("GET /ping HTTP/1.1\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(400);
            assertThat(http.awaitClose()).isEmpty();
        }
        assertServesNewConnection();
    }

    @Test
    void requestWithTwoHostsGets400() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send("GET /ping HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(400);
            assertThat(http.awaitClose()).isEmpty();
        }
        assertServesNewConnection();
    }

    @Test
    void aMajorVersionOtherThanOneGets505() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send("GET /ping HTTP/2.0\r\nHost: localhost\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(505);
            assertThat(http.awaitClose()).isEmpty();
        }
        assertServesNewConnection();
    }

    @Test
    void aHostNameTheLoopbackServerWasNotGivenGets403() throws IOException {
        // DNS rebinding: a page from evil.example whose name now points at 127.0.0.1.
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send("GET /ping HTTP/1.1\r\nHost: evil.example:" + server.port()
                    + "\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(403);
            assertThat(response.text()).contains("allowed hosts").doesNotContain("pong");
            assertThat(http.awaitClose()).isEmpty();
        }
        assertServesNewConnection();
    }

    @Test
    void http10RequestNeedsNoHost() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send("GET /ping HTTP/1.0\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("pong");
            assertThat(http.awaitClose()).isEmpty();
        }
    }

    // ---------------------------------------------------------------- limits

    @Test
    void bodyAtTheLimitIsServed() throws IOException {
        String body = "x".repeat(MAX_BODY);
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + MAX_BODY
                    + "\r\n\r\n" + body).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo(body);
        }
    }

    @Test
    void oversizeBodyGets413AndTheConnectionCloses() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                    + (MAX_BODY + 1) + "\r\n\r\n" + "x".repeat(MAX_BODY + 1)).read();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(response.text()).contains("413");
            assertThat(http.awaitClose()).isEmpty();
        }
        assertServesNewConnection();
    }

    @Test
    void oversizeDeclaredLengthGets413BeforeTheBodyIsSent() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send(
                    "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000000\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(413);
            assertThat(http.awaitClose()).isEmpty();
        }
        assertServesNewConnection();
    }

    @Test
    void oversizeBodyStillBeingSentGets413() throws Exception {
        try (RawHttp http = connect()) {
            int length = 8 << 20;
            http.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + length + "\r\n\r\n");
            Thread uploader = Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[64 << 10];
                try {
                    for (int sent = 0; sent < length; sent += chunk.length) {
                        http.send(chunk);
                    }
                } catch (IOException expected) {
                    // the server closed while the body was still coming
                }
            });

            RawHttp.Response response = http.read();

            assertThat(response.status()).isEqualTo(413);
            http.awaitClose();
            uploader.join(10_000);
        }
        assertServesNewConnection();
    }

    @Test
    void oversizeBodyAnnouncedWithExpectContinueGets413InsteadOfContinue() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                    + (MAX_BODY + 1) + "\r\nExpect: 100-continue\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(413);
        }
        assertServesNewConnection();
    }

    @Test
    void oversizeChunkedBodyGets413() throws IOException {
        StringBuilder request = new StringBuilder("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 5; i++) {
            request.append("100\r\n").append("y".repeat(256)).append("\r\n");
        }
        request.append("0\r\n\r\n");
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send(request.toString()).read();

            assertThat(response.status()).isEqualTo(413);
            assertThat(http.awaitClose()).isEmpty();
        }
        assertServesNewConnection();
    }

    @Test
    void oversizeBodyWaitsForTheResponsesPipelinedBeforeIt() throws Exception {
        try (RawHttp http = connect()) {
            http.send(get("/slow") + "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + (MAX_BODY + 1)
                    + "\r\n\r\n" + "z".repeat(MAX_BODY + 1));
            assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
            releaseSlow.countDown();

            RawHttp.Response first = http.read();
            RawHttp.Response second = http.read();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.text()).isEqualTo("slow");
            assertThat(second.status()).isEqualTo(413);
            assertThat(http.awaitClose()).isEmpty();
        }
        assertServesNewConnection();
    }

    @Test
    void oversizeHeadersGet431() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send("GET /ping HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                    + "b".repeat(20_000) + "\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(431);
            assertThat(http.awaitClose()).isEmpty();
        }
        assertServesNewConnection();
    }

    @Test
    void manyHeadersOverTheLimitGet431() throws IOException {
        StringBuilder request = new StringBuilder("GET /ping HTTP/1.1\r\nHost: localhost\r\n");
        for (int i = 0; i < 400; i++) {
            request.append("X-H").append(i).append(": ").append("v".repeat(60)).append("\r\n");
        }
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send(request.append("\r\n").toString()).read();

            assertThat(response.status()).isEqualTo(431);
            assertThat(http.awaitClose()).isEmpty();
        }
        assertServesNewConnection();
    }

    @Test
    void tooLongRequestLineGets414() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send(get("/hello?n=" + "a".repeat(10_000))).read();

            assertThat(response.status()).isEqualTo(414);
            assertThat(http.awaitClose()).isEmpty();
        }
        assertServesNewConnection();
    }

    // ---------------------------------------------------------------- connections

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response first = http.send(get("/hello?n=1")).read();
            RawHttp.Response missing = http.send(get("/missing")).read();
            RawHttp.Response second = http.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc").read();

            assertThat(first.text()).isEqualTo("hello, 1");
            assertThat(first.header("Connection")).isNull();
            assertThat(missing.status()).isEqualTo(404);
            assertThat(second.text()).isEqualTo("abc");
        }
    }

    @Test
    void connectionCloseIsHonored() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response response = http.send("GET /ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").read();

            assertThat(response.text()).isEqualTo("pong");
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(http.awaitClose()).isEmpty();
        }
    }

    @Test
    void requestsPipelinedAfterConnectionCloseAreNotAnswered() throws IOException {
        try (RawHttp http = connect()) {
            http.send("GET /hello?n=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" + get("/hello?n=2"));

            assertThat(http.read().text()).isEqualTo("hello, 1");
            assertThat(http.awaitClose()).isEmpty();
        }
    }

    @Test
    void http10WithKeepAliveKeepsTheConnection() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response first = http.send("GET /hello?n=1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            RawHttp.Response second = http.send("GET /hello?n=2 HTTP/1.0\r\n\r\n").read();

            assertThat(first.text()).isEqualTo("hello, 1");
            assertThat(first.header("Connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(first.header("Content-Length")).isEqualTo("8");
            assertThat(second.text()).isEqualTo("hello, 2");
            assertThat(http.awaitClose()).isEmpty();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderWhenTheFirstIsSlowest() throws Exception {
        try (RawHttp http = connect()) {
            http.send(get("/slow") + get("/missing") + get("/hello?n=3")
                    + "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nlast" + get("/ping"));
            assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
            releaseSlow.countDown();

            List<RawHttp.Response> responses = List.of(http.read(), http.read(), http.read(), http.read(), http.read());

            assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200, 404, 200, 200, 200);
            assertThat(responses.get(0).text()).isEqualTo("slow");
            assertThat(responses.get(2).text()).isEqualTo("hello, 3");
            assertThat(responses.get(3).text()).isEqualTo("last");
            assertThat(responses.get(4).text()).isEqualTo("pong");
            assertThat(http.send(get("/ping")).read().text()).isEqualTo("pong");
        }
    }

    @Test
    void manyPipelinedRequestsInOneWriteAllComeBackInOrder() throws IOException {
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            requests.append(get("/hello?n=" + i));
        }
        try (RawHttp http = connect()) {
            http.send(requests.toString());

            for (int i = 0; i < 50; i++) {
                assertThat(http.read().text()).isEqualTo("hello, " + i);
            }
        }
    }

    @Test
    void headGetsTheHeadersOfGetWithoutTheBody() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response get = http.send(get("/hello?n=head")).read();
            RawHttp.Response head = http.send("HEAD /hello?n=head HTTP/1.1\r\nHost: localhost\r\n\r\n").readHead();
            // Had the HEAD response carried a body, it would be read here as the next status line.
            RawHttp.Response after = http.send(get("/ping")).read();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(get.header("Content-Length")).isEqualTo("11");
            assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
            assertThat(after.text()).isEqualTo("pong");
        }
    }

    @Test
    void methodNotAllowedAndOptionsKeepTheConnection() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response notAllowed = http.send("DELETE /ping HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
            RawHttp.Response options = http.send("OPTIONS /ping HTTP/1.1\r\nHost: localhost\r\n\r\n").read();

            assertThat(notAllowed.status()).isEqualTo(405);
            assertThat(notAllowed.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            assertThat(options.status()).isEqualTo(204);
            assertThat(options.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            assertThat(http.send(get("/ping")).read().text()).isEqualTo("pong");
        }
    }

    @Test
    void expectContinueGetsAContinueThenTheResponse() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response interim = http.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\n\r\n").read();
            assertThat(interim.status()).isEqualTo(100);

            RawHttp.Response response = http.send("hello".getBytes(StandardCharsets.US_ASCII)).read();

            assertThat(response.text()).isEqualTo("hello");
        }
    }
}
