package io.echowall.demo;

import io.echowall.CloseStatus;
import io.echowall.Message;
import io.echowall.testing.TestClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The echo wall against the JDK's own WebSocket client ({@code java.net.http}, through the test kit's
 * {@link TestClient}), in each of the demo's three styles: message types, multibyte UTF-8, the 1 MiB
 * default limit on both sides of the line, ordering, and the close handshake as both ends see it.
 */
@Timeout(120)
class JdkClientInteropTest {

    private static final int LIMIT = 1 << 20; // EchowallConfig's default maxMessageSize
    private static final String MULTIBYTE = "héllo wörld ✓ 你好 🎉";

    @ParameterizedTest
    @EnumSource(EchoWall.Style.class)
    void echoesTextBinaryAndMultibyteText(EchoWall.Style style) {
        try (var server = new DemoServer(style); var client = server.connectToEcho()) {
            client.send("hello");
            client.expectText("hello");

            byte[] bytes = {0, 1, 2, (byte) 0x80, (byte) 0xff, 'x'};
            client.send(bytes);
            client.expectBinary(bytes);

            client.send(MULTIBYTE);
            client.expectText(MULTIBYTE);

            client.send(MULTIBYTE.getBytes(StandardCharsets.UTF_8));
            client.expectBinary(MULTIBYTE.getBytes(StandardCharsets.UTF_8));

            client.expectNoMessage(Duration.ZERO);
        }
    }

    @ParameterizedTest
    @EnumSource(EchoWall.Style.class)
    void echoesMessagesOfExactlyTheDefaultLimit(EchoWall.Style style) {
        try (var server = new DemoServer(style); var client = server.connectToEcho()) {
            byte[] bytes = new byte[LIMIT];
            new Random(42).nextBytes(bytes);
            client.send(bytes);
            client.expectBinary(bytes);

            String text = multibyteTextOf(LIMIT);
            assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(LIMIT);
            client.send(text);
            client.expectText(text);

            client.send("still open");
            client.expectText("still open");
        }
    }

    /*
     * The message is sent as a frame of exactly the limit and a 1-byte continuation, so the server has
     * read everything the client sent when it notices the message is too big, and its close frame
     * cannot be lost to a TCP reset (the next test covers a frame still being sent).
     */
    @ParameterizedTest
    @EnumSource(EchoWall.Style.class)
    void closesWith1009WhenAMessageOutgrowsTheLimitByOneByte(EchoWall.Style style) {
        try (var server = new DemoServer(style); var client = server.connectToEcho()) {
            sendBinaryFrame(client, new byte[LIMIT], false);
            sendBinaryFrame(client, new byte[1], true);

            assertThat(client.expectClose(1009)).isEqualTo("message too big");
            client.expectNoMessage(Duration.ZERO);
        }
    }

    /**
     * A frame announced over the limit gets its 1009 even while the client is still sending it: the
     * server reads on and drops the rest instead of resetting the connection under the close frame.
     */
    @ParameterizedTest
    @EnumSource(EchoWall.Style.class)
    void closesWith1009WhenASingleFrameIsOneByteOverTheLimit(EchoWall.Style style) {
        try (var server = new DemoServer(style); var client = server.connectToEcho()) {
            // Not waited for: the server may close before it has read the whole frame, failing the send.
            client.webSocket().sendBinary(ByteBuffer.wrap(new byte[LIMIT + 1]), true);

            assertThat(client.expectClose(1009)).isEqualTo("message too big");
            client.expectNoMessage(Duration.ZERO);
        }
    }

    /** When the server fails the connection, every handler style sees the status it sent. */
    @ParameterizedTest
    @EnumSource(EchoWall.Style.class)
    void theHandlerSeesTheStatusTheServerClosedWith(EchoWall.Style style) throws Exception {
        try (var server = new DemoServer(style); var client = server.connectToRecording()) {
            sendBinaryFrame(client, new byte[LIMIT], false);
            sendBinaryFrame(client, new byte[1], true);

            client.expectClose(1009);
            assertThat(server.recorder.nextClose(DemoServer.STEP)).isEqualTo(new CloseStatus(1009, "message too big"));
        }
    }

    @ParameterizedTest
    @EnumSource(EchoWall.Style.class)
    void keepsAThousandSmallMessagesInOrder(EchoWall.Style style) {
        try (var server = new DemoServer(style); var client = server.connectToEcho()) {
            List<Message> sent = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                if (i % 10 == 9) {
                    byte[] b = {(byte) (i >> 8), (byte) i};
                    client.send(b);
                    sent.add(Message.binary(b));
                } else {
                    client.send("message " + i + " ✓");
                    sent.add(Message.text("message " + i + " ✓"));
                }
            }
            List<Message> received = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                received.add(client.nextMessage());
            }
            assertThat(received).containsExactlyElementsOf(sent);
        }
    }

    @ParameterizedTest
    @EnumSource(EchoWall.Style.class)
    void bothSidesSeeTheClientsCloseCodeAndReason(EchoWall.Style style) throws Exception {
        try (var server = new DemoServer(style); var client = server.connectToRecording()) {
            client.send("before the close");
            client.expectText("before the close");

            client.close(4000, "done ✓");

            assertThat(client.expectClose(4000)).isEqualTo("done ✓");
            assertThat(server.recorder.nextClose(DemoServer.STEP)).isEqualTo(new CloseStatus(4000, "done ✓"));
            client.expectNoMessage(Duration.ZERO);
        }
    }

    /** Sends {@code b} as one frame of a binary message, the last one if {@code last}. */
    private static void sendBinaryFrame(TestClient client, byte[] b, boolean last) {
        client.webSocket().sendBinary(ByteBuffer.wrap(b), last).orTimeout(DemoServer.STEP.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Text of exactly {@code bytes} bytes of UTF-8, mostly multibyte characters. */
    static String multibyteTextOf(int bytes) {
        StringBuilder s = new StringBuilder(bytes);
        int size = 0;
        String unit = MULTIBYTE + " ";
        int unitSize = unit.getBytes(StandardCharsets.UTF_8).length;
        while (size + unitSize <= bytes) {
            s.append(unit);
            size += unitSize;
        }
        s.repeat('.', bytes - size);
        return s.toString();
    }
}
