package io.echowall;

import io.echowall.testing.RawWebSocket;
import io.echowall.testing.RawWebSocket.Frame;
import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol as a peer sees it, through a raw socket: handshake checks, frame validation and the
 * close code each violation earns, the close handshake, pings — and that the server keeps serving.
 */
@Timeout(60)
class WebSocketProtocolTest {

    private static TestServer server;
    private static int port;
    private static final BlockingQueue<CloseStatus> recordedCloses = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() {
        var app = Echowall.create(c -> c.withHost("127.0.0.1").withAllowedOrigins("http://allowed.example")
                .withPermessageDeflate(true));
        app.ws("/echo", ws -> {
            for (var m : ws) {
                ws.send(m);
            }
        });
        app.ws("/fail", ws -> {
            ws.receive();
            throw new IllegalStateException("handler bug with a secret in its message");
        });
        app.ws("/refuse", ws -> {
            throw new CloseException(4403, "not in this room");
        });
        app.ws("/record", new WebSocketListener() {
            @Override
            public void onClose(WebSocket ws, CloseStatus status) {
                recordedCloses.add(status);
            }
        });
        server = TestServer.start(app);
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void serverStillServes() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            ws.sendText("still here");
            Frame echo = ws.read();
            assertThat(echo.opcode()).isEqualTo(RawWebSocket.TEXT);
            assertThat(echo.text()).isEqualTo("still here");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Expects the server to fail the connection: a close frame with {@code code}, then the end of TCP. */
    private static void expectFailure(RawWebSocket ws, int code) throws IOException {
        Frame close = ws.readClose();
        assertThat(close).as("a close frame").isNotNull();
        assertThat(close.closeCode()).isEqualTo(code);
        assertThat(ws.serverClosedConnection()).as("TCP closed by the server").isTrue();
    }

    // ---------------------------------------------------------------- opening handshake

    @Test
    void acceptsAStandardHandshakeWithTheRightAcceptKey() throws Exception {
        String key = "dGhlIHNhbXBsZSBub25jZQ==";
        String request = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        try (RawWebSocket ws = RawWebSocket.send(port, request)) {
            assertThat(ws.response().status()).isEqualTo(101);
            // RFC 6455 section 1.3's worked example.
            assertThat(ws.response().header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        }
    }

    @Test
    void aMissingKeyGets400() throws Exception {
        String request = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        try (RawWebSocket ws = RawWebSocket.send(port, request)) {
            assertThat(ws.response().status()).isEqualTo(400);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-base64!!", "c2hvcnQ=", "AAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void aKeyThatIsNotSixteenBytesOfBase64Gets400(String key) throws Exception {
        String request = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        try (RawWebSocket ws = RawWebSocket.send(port, request)) {
            assertThat(ws.response().status()).isEqualTo(400);
        }
    }

    @Test
    void anotherVersionGets426NamingVersion13() throws Exception {
        String request = RawWebSocket.request(port, "/echo").replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8");
        try (RawWebSocket ws = RawWebSocket.send(port, request)) {
            assertThat(ws.response().status()).isEqualTo(426);
            assertThat(ws.response().header("Sec-WebSocket-Version")).isEqualTo("13");
        }
    }

    @Test
    void aPostUpgradeGets405() throws Exception {
        String request = RawWebSocket.request(port, "/echo").replace("GET /echo", "POST /echo");
        try (RawWebSocket ws = RawWebSocket.send(port, request)) {
            assertThat(ws.response().status()).isEqualTo(405);
            assertThat(ws.response().header("Allow")).contains("GET");
        }
    }

    @Test
    void withoutConnectionUpgradeItGets400() throws Exception {
        String request = RawWebSocket.request(port, "/echo").replace("Connection: Upgrade", "Connection: keep-alive");
        try (RawWebSocket ws = RawWebSocket.send(port, request)) {
            assertThat(ws.response().status()).isEqualTo(400);
        }
    }

    @Test
    void aPlainGetOfAWebSocketAddressGets426() throws Exception {
        String request = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        try (RawWebSocket ws = RawWebSocket.send(port, request)) {
            assertThat(ws.response().status()).isEqualTo(426);
            assertThat(ws.response().header("Upgrade")).isEqualToIgnoringCase("websocket");
        }
    }

    @Test
    void pagesFromOtherOriginsAreRefusedUnlessAllowed() throws Exception {
        try (RawWebSocket ws = RawWebSocket.send(port,
                RawWebSocket.request(port, "/echo", "Origin: http://evil.example"))) {
            assertThat(ws.response().status()).isEqualTo(403);
        }
        try (RawWebSocket ws = RawWebSocket.send(port,
                RawWebSocket.request(port, "/echo", "Origin: http://allowed.example"))) {
            assertThat(ws.response().status()).isEqualTo(101);
        }
        try (RawWebSocket ws = RawWebSocket.send(port,
                RawWebSocket.request(port, "/echo", "Origin: http://127.0.0.1:" + port))) {
            assertThat(ws.response().status()).isEqualTo(101);
        }
    }

    @Test
    void twoOriginHeadersGet400() throws Exception {
        String origin = "Origin: http://127.0.0.1:" + port;
        try (RawWebSocket ws = RawWebSocket.send(port, RawWebSocket.request(port, "/echo", origin, origin))) {
            assertThat(ws.response().status()).isEqualTo(400);
        }
    }

    @Test
    void aRebindingPageGets403EvenAsItsOwnOrigin() throws Exception {
        String request = RawWebSocket.request(port, "/echo", "Origin: http://evil.example:" + port)
                .replace("Host: 127.0.0.1:", "Host: evil.example:");
        try (RawWebSocket ws = RawWebSocket.send(port, request)) {
            assertThat(ws.response().status()).isEqualTo(403);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Sec-WebSocket-Extensions: permessage-deflate"})
    void aFrameSentRightBehindTheUpgradeRequestIsNotLost(String extension) throws Exception {
        byte[] frame = RawWebSocket.encode(0x81, utf8("too eager"), true);
        String request = extension.isEmpty() ? RawWebSocket.request(port, "/echo")
                : RawWebSocket.request(port, "/echo", extension);
        try (RawWebSocket ws = RawWebSocket.send(port, request + new String(frame, StandardCharsets.ISO_8859_1))) {
            assertThat(ws.response().status()).isEqualTo(101);
            Frame echo = ws.read();
            assertThat(echo.opcode()).isEqualTo(RawWebSocket.TEXT);
            byte[] payload = (echo.rsv() & 4) != 0 ? inflate(echo.payload()) : echo.payload();
            assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("too eager");
        }
    }

    @Test
    void unknownPathsGet404() throws Exception {
        try (RawWebSocket ws = RawWebSocket.send(port, RawWebSocket.request(port, "/nowhere"))) {
            assertThat(ws.response().status()).isEqualTo(404);
        }
    }

    // ---------------------------------------------------------------- frames

    @Test
    void echoesTextAndBinaryOfEveryLengthClass() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo/")) {
            for (int size : new int[] {0, 1, 125, 126, 65535, 65536, 300_000}) {
                byte[] payload = new byte[size];
                Arrays.fill(payload, (byte) 'x');
                ws.send(RawWebSocket.TEXT, payload);
                Frame text = ws.read();
                assertThat(text.opcode()).isEqualTo(RawWebSocket.TEXT);
                assertThat(text.payload()).isEqualTo(payload);
                for (int i = 0; i < size; i++) {
                    payload[i] = (byte) i;
                }
                ws.send(RawWebSocket.BINARY, payload);
                Frame binary = ws.read();
                assertThat(binary.opcode()).isEqualTo(RawWebSocket.BINARY);
                assertThat(binary.payload()).isEqualTo(payload);
            }
        }
    }

    @Test
    void reassemblesFragmentsWithAPingInBetween() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            ws.sendFrame(RawWebSocket.TEXT, utf8("frag"), true);
            ws.sendFrame(0x80 | RawWebSocket.PING, utf8("mid"), true);
            ws.sendFrame(0, utf8("men"), true);
            ws.sendFrame(0x80, utf8("ted ✓"), true);
            Frame pong = ws.read();
            assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
            assertThat(pong.text()).isEqualTo("mid");
            Frame echo = ws.read();
            assertThat(echo.text()).isEqualTo("fragmented ✓");
        }
    }

    @Test
    void aPingIsAnsweredWithItsPayloadAndAnUnsolicitedPongIgnored() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            ws.send(RawWebSocket.PONG, utf8("unsolicited"));
            byte[] payload = new byte[125];
            Arrays.fill(payload, (byte) 7);
            ws.send(RawWebSocket.PING, payload);
            Frame pong = ws.read();
            assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
            assertThat(pong.payload()).isEqualTo(payload);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0x10, 0x20, 0x40})
    void reservedBitsWithoutAnExtensionGet1002(int rsv) throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            ws.sendFrame(0x80 | rsv | RawWebSocket.TEXT, utf8("reserved"), true);
            expectFailure(ws, 1002);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 7, 11, 15})
    void reservedOpcodesGet1002(int opcode) throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            ws.send(opcode, utf8("?"));
            expectFailure(ws, 1002);
        }
    }

    @Test
    void anUnmaskedFrameGets1002() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            ws.sendFrame(0x80 | RawWebSocket.TEXT, utf8("naked"), false);
            expectFailure(ws, 1002);
        }
    }

    @Test
    void fragmentationErrorsGet1002() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            ws.sendFrame(0x80, utf8("continuation without a start"), true);
            expectFailure(ws, 1002);
        }
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            ws.sendFrame(RawWebSocket.TEXT, utf8("start"), true);
            ws.sendFrame(0x80 | RawWebSocket.TEXT, utf8("a new message inside"), true);
            expectFailure(ws, 1002);
        }
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            ws.sendFrame(RawWebSocket.PING, utf8("fragmented ping"), true);
            expectFailure(ws, 1002);
        }
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            ws.send(RawWebSocket.PING, new byte[126]);
            expectFailure(ws, 1002);
        }
    }

    @Test
    void invalidUtf8Gets1007() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            ws.send(RawWebSocket.TEXT, new byte[] {'o', 'k', (byte) 0xC0, (byte) 0xAF});
            expectFailure(ws, 1007);
        }
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            byte[] euro = utf8("€");
            ws.sendFrame(RawWebSocket.TEXT, new byte[] {euro[0], euro[1]}, true);
            ws.sendFrame(0x80, new byte[0], true); // the message ends inside a character
            expectFailure(ws, 1007);
        }
    }

    @Test
    void invalidUtf8FailsFastBeforeTheFrameEnds() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            byte[] payload = new byte[1000];
            Arrays.fill(payload, (byte) 'a');
            payload[10] = (byte) 0xFF; // never valid in UTF-8
            byte[] frame = RawWebSocket.encode(0x80 | RawWebSocket.TEXT, payload, true);
            ws.sendRaw(Arrays.copyOf(frame, 30)); // header, mask and the invalid byte: not the rest
            expectFailure(ws, 1007);
        }
    }

    @Test
    void aFrameLargerThanTheLimitGets1009BeforeItsPayloadArrives() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            byte[] header = RawWebSocket.encode(0x80 | RawWebSocket.BINARY, new byte[(1 << 20) + 1], true);
            ws.sendRaw(Arrays.copyOf(header, 14)); // the length says 1 MiB + 1; no payload follows
            expectFailure(ws, 1009);
        }
    }

    @Test
    void aFragmentedMessageOverTheLimitGets1009() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            byte[] part = new byte[300_000];
            ws.sendFrame(RawWebSocket.BINARY, part, true);
            for (int i = 0; i < 3; i++) {
                ws.sendFrame(0, part, true);
            }
            expectFailure(ws, 1009);
        }
    }

    @Test
    void aMessageOfExactlyTheLimitPasses() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            byte[] payload = new byte[1 << 20];
            payload[12345] = 42;
            ws.send(RawWebSocket.BINARY, payload);
            assertThat(ws.read().payload()).isEqualTo(payload);
        }
    }

    // ---------------------------------------------------------------- closing

    @Test
    void aCloseIsEchoedWithItsCodeAndTheServerClosesTcp() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/record")) {
            ws.sendClose(4000, "bye ✓");
            Frame close = ws.readClose();
            assertThat(close.closeCode()).isEqualTo(4000);
            assertThat(close.closeReason()).isEqualTo("bye ✓");
            assertThat(ws.serverClosedConnection()).isTrue();
        }
        assertThat(recordedCloses.poll(5, TimeUnit.SECONDS)).isEqualTo(new CloseStatus(4000, "bye ✓"));
    }

    @Test
    void anEmptyCloseIsAnsweredEmptyAndReportedAs1005() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/record")) {
            ws.send(RawWebSocket.CLOSE, new byte[0]);
            Frame close = ws.readClose();
            assertThat(close.payload()).isEmpty();
        }
        assertThat(recordedCloses.poll(5, TimeUnit.SECONDS).code()).isEqualTo(1005);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    void closeCodesThatMayNotBeSentGet1002(int code) throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            ws.sendClose(code, "");
            expectFailure(ws, 1002);
        }
    }

    @Test
    void aOneByteClosePayloadGets1002() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            ws.send(RawWebSocket.CLOSE, new byte[] {3});
            expectFailure(ws, 1002);
        }
    }

    @Test
    void aCloseReasonThatIsNotUtf8Gets1007() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            ws.send(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8, (byte) 0xC0, (byte) 0xAF});
            expectFailure(ws, 1007);
        }
    }

    @RepeatedTest(20) // the handler's thread races the close: repeated, a lost answer cannot slip through
    void aMessageBeforeAViolationIsAnsweredBeforeTheClose() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            byte[] before = RawWebSocket.encode(0x81, utf8("before"), true);
            byte[] reserved = RawWebSocket.encode(0x83, utf8("reserved"), true);
            byte[] both = Arrays.copyOf(before, before.length + reserved.length);
            System.arraycopy(reserved, 0, both, before.length, reserved.length);
            ws.sendRaw(both);
            assertThat(ws.read().text()).isEqualTo("before");
            expectFailure(ws, 1002);
        }
    }

    @Test
    void nothingAfterInvalidCompressedDataIsProcessed() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo", "Sec-WebSocket-Extensions: permessage-deflate")) {
            byte[] badDeflate = RawWebSocket.encode(0x81 | 0x40, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, true);
            byte[] ping = RawWebSocket.encode(0x80 | RawWebSocket.PING, utf8("after"), true);
            byte[] both = Arrays.copyOf(badDeflate, badDeflate.length + ping.length);
            System.arraycopy(ping, 0, both, badDeflate.length, ping.length);
            ws.sendRaw(both); // RFC 6455 section 7.1.7: the ping must not be answered
            Frame first = ws.read();
            assertThat(first.opcode()).as("no pong before the close").isEqualTo(RawWebSocket.CLOSE);
            assertThat(first.closeCode()).isEqualTo(1007);
        }
    }

    @Test
    void framesAfterTheCloseAreIgnored() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo")) {
            byte[] close = RawWebSocket.encode(0x80 | RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8}, true);
            byte[] after = RawWebSocket.encode(0x80 | RawWebSocket.TEXT, utf8("after close"), true);
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(close);
            both.writeBytes(after);
            ws.sendRaw(both.toByteArray());
            Frame first = ws.read();
            assertThat(first.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(first.closeCode()).isEqualTo(1000);
            assertThat(ws.serverClosedConnection()).isTrue();
        }
    }

    @Test
    void aHandlerThatThrowsCloses1011WithoutLeakingItsMessage() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/fail")) {
            ws.sendText("trigger");
            Frame close = ws.readClose();
            assertThat(close.closeCode()).isEqualTo(1011);
            assertThat(close.closeReason()).doesNotContain("secret");
        }
    }

    @Test
    void aCloseExceptionReachesThePeerAsIs() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/refuse")) {
            Frame close = ws.readClose();
            assertThat(close.closeCode()).isEqualTo(4403);
            assertThat(close.closeReason()).isEqualTo("not in this room");
            ws.sendClose(4403, "");
        }
    }

    @Test
    void theJdkClientSeesCodeAndReasonOfAServerClose() {
        try (TestClient client = server.connect("/refuse")) {
            assertThat(client.expectClose(4403)).isEqualTo("not in this room");
        }
    }

    // ---------------------------------------------------------------- permessage-deflate

    @Test
    void negotiatesPermessageDeflateAndEchoesCompressed() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo",
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")) {
            assertThat(ws.response().header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
            String text = "compress me ✓ ".repeat(100);
            ws.sendFrame(0x80 | 0x40 | RawWebSocket.TEXT, deflate(utf8(text)), true);
            Frame echo = ws.read();
            assertThat(echo.rsv() & 4).as("RSV1: compressed").isEqualTo(4);
            assertThat(new String(inflate(echo.payload()), StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }

    @Test
    void aCompressedMessageThatInflatesPastTheLimitGets1009() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(port, "/echo",
                "Sec-WebSocket-Extensions: permessage-deflate")) {
            byte[] bomb = deflate(new byte[4 << 20]); // 4 MiB of zeros in a few KiB
            assertThat(bomb.length).isLessThan(64 << 10);
            ws.sendFrame(0x80 | 0x40 | RawWebSocket.BINARY, bomb, true);
            expectFailure(ws, 1009);
        }
    }

    @Test
    void offersWithUnknownOrRepeatedParametersAreDeclined() throws Exception {
        for (String offer : new String[] {"permessage-deflate; foo=1", "permessage-deflate; server_max_window_bits=16",
                "permessage-deflate; client_no_context_takeover; client_no_context_takeover"}) {
            try (RawWebSocket ws = RawWebSocket.open(port, "/echo", "Sec-WebSocket-Extensions: " + offer)) {
                assertThat(ws.response().header("Sec-WebSocket-Extensions")).as(offer).isNull();
                ws.sendText("plain");
                assertThat(ws.read().text()).isEqualTo("plain");
            }
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(buffer, 0, n);
        }
        deflater.end();
        byte[] compressed = out.toByteArray();
        return Arrays.copyOf(compressed, compressed.length - 4); // RFC 7692 section 7.2.1: drop 00 00 ff ff
    }

    private static byte[] inflate(byte[] data) throws Exception {
        Inflater inflater = new Inflater(true);
        byte[] withTail = Arrays.copyOf(data, data.length + 4);
        withTail[data.length + 2] = (byte) 0xFF;
        withTail[data.length + 3] = (byte) 0xFF;
        inflater.setInput(withTail);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = inflater.inflate(buffer)) > 0) {
            out.write(buffer, 0, n);
        }
        inflater.end();
        return out.toByteArray();
    }
}
