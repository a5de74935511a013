package io.echowall.abuse;

import io.echowall.testing.RawWebSocket;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack 4 (a client's legitimate haste, really): the upgrade request and the first frame arrive in
 * one TCP segment. The frame must be handled once the connection is upgraded, not dropped with the
 * HTTP decoder's leftovers, with or without permessage-deflate (the frame is sent uncompressed, RSV1
 * clear, which is legal), and through a before filter too.
 */
@Timeout(60)
class EarlyFrameTest {

    private static final Map<String, Target> TARGETS = new HashMap<>();
    // An echo takes milliseconds; 3 s is also less than the keepalive's ping (2 s) plus its timeout
    // (2 s), after which the target drops this client, which answers no pings.
    private static final Duration ECHO_WAIT = Duration.ofSeconds(3);

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (HandlerStyle style : HandlerStyle.values()) {
            for (boolean deflate : new boolean[] {false, true}) {
                for (String path : List.of("/echo", "/filtered/echo")) {
                    cases.add(Arguments.of(style, deflate, path));
                }
            }
        }
        return cases.stream();
    }

    /** One target per style and deflate setting, shared by the paths: these attacks are harmless. */
    private static Target target(HandlerStyle style, boolean deflate) {
        return TARGETS.computeIfAbsent(style + "/" + deflate, key -> Target.start("early-frame", style, deflate));
    }

    @AfterAll
    static void stopTargets() throws InterruptedException {
        for (Target target : TARGETS.values()) {
            target.stop();
        }
        TARGETS.clear();
    }

    @ParameterizedTest(name = "{0} deflate={1} {2}")
    @MethodSource("cases")
    void aFrameSentInTheSameWriteAsTheUpgradeIsEchoed(HandlerStyle style, boolean deflate, String path)
            throws Exception {
        Summary.run("early-frame style=" + style + " deflate=" + deflate + " path=" + path, summary -> {
            Target target = target(style, deflate);
            Health.Baseline baseline = Health.baseline(target, summary);
            String[] offer = deflate ? new String[] {"Sec-WebSocket-Extensions: permessage-deflate"} : new String[0];
            byte[] upgradeAndFrame = Frames.concat(
                    RawWebSocket.request(target.port(), path, offer).getBytes(StandardCharsets.ISO_8859_1),
                    RawWebSocket.encode(0x80 | RawWebSocket.TEXT, "hello".getBytes(StandardCharsets.UTF_8), true));

            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", target.port()), 5_000);
            socket.setSoTimeout((int) ECHO_WAIT.toMillis());
            SoftAssertions soft = new SoftAssertions();
            try (RawWebSocket ws = RawWebSocket.send(socket, upgradeAndFrame)) {
                assertThat(ws.response().status()).as("the upgrade's status").isEqualTo(101);
                if (deflate) {
                    assertThat(ws.response().header("Sec-WebSocket-Extensions"))
                            .as("permessage-deflate negotiated").startsWith("permessage-deflate");
                }
                String echo = readText(ws);
                summary.put("echo", "'" + echo + "'");
                soft.assertThat(echo).as("the echo of the frame sent with the upgrade").isEqualTo("hello");
            }
            Health.checkHealthyAfter(target, baseline, summary, soft);
            soft.assertAll();
        });
    }

    /**
     * The first text message, inflated if compressed, or what happened instead (in parentheses) if none
     * came within {@link #ECHO_WAIT}.
     */
    private static String readText(RawWebSocket ws) throws DataFormatException {
        long deadline = System.nanoTime() + ECHO_WAIT.toNanos();
        try {
            for (RawWebSocket.Frame frame = ws.read(); frame != null; frame = ws.read()) {
                if (frame.opcode() == RawWebSocket.CLOSE) {
                    return "(closed with " + frame.closeCode() + " '" + frame.closeReason() + "' instead of echoing)";
                }
                if (frame.opcode() == RawWebSocket.TEXT) {
                    boolean compressed = (frame.rsv() & 4) != 0;
                    byte[] payload = compressed ? Frames.inflate(frame.payload()) : frame.payload();
                    return new String(payload, StandardCharsets.UTF_8);
                }
                // A control frame, such as a keepalive ping: wait for the echo only what is left.
                ws.readTimeout((int) Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
            }
            return "(the connection closed without an echo)";
        } catch (SocketTimeoutException e) {
            return "(no echo within " + ECHO_WAIT.toSeconds() + " s: the frame sent with the upgrade was lost)";
        } catch (IOException e) {
            return "(the connection failed before the echo: " + e + ")";
        }
    }
}
