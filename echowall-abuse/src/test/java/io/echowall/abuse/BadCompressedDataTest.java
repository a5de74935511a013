package io.echowall.abuse;

import io.echowall.testing.RawWebSocket;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack 5: a compressed text frame that does not inflate, followed in the same write by a ping. The
 * connection fails at the bad frame with 1007, and nothing after it is processed (RFC 6455 section
 * 7.1.7): no pong for the ping may come before the close.
 */
@Timeout(60)
class BadCompressedDataTest {

    // BFINAL=1 with the reserved block type 11: not deflate data.
    private static final byte[] NOT_DEFLATE = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    private static final int FIN_RSV1_TEXT = 0x80 | 0x40 | RawWebSocket.TEXT;

    private Target target;

    @AfterEach
    void stopTarget() throws InterruptedException {
        if (target != null) {
            target.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(HandlerStyle.class)
    void nothingAfterBadCompressedDataIsProcessed(HandlerStyle style) throws Exception {
        Summary.run("bad-deflate style=" + style, summary -> {
            target = Target.start("bad-deflate", style, true);
            Health.Baseline baseline = Health.baseline(target, summary);
            SoftAssertions soft = new SoftAssertions();
            try (RawWebSocket ws = RawWebSocket.open(target.port(), "/echo",
                    "Sec-WebSocket-Extensions: permessage-deflate")) {
                assertThat(ws.response().header("Sec-WebSocket-Extensions"))
                        .as("permessage-deflate negotiated").startsWith("permessage-deflate");
                ws.readTimeout(5_000);
                ws.sendRaw(Frames.concat(
                        RawWebSocket.encode(FIN_RSV1_TEXT, NOT_DEFLATE, true),
                        RawWebSocket.encode(0x80 | RawWebSocket.PING, "after".getBytes(StandardCharsets.UTF_8), true)));

                List<String> received = new ArrayList<>();
                RawWebSocket.Frame close = null;
                try {
                    RawWebSocket.Frame frame = ws.read();
                    while (frame != null && frame.opcode() != RawWebSocket.CLOSE) {
                        received.add(describe(frame));
                        frame = ws.read();
                    }
                    close = frame;
                } catch (SocketTimeoutException e) {
                    received.add("(nothing more within 5 s)");
                }
                summary.put("before-close", received.isEmpty() ? "nothing" : String.join(",", received));
                summary.put("close", close == null ? "none" : Integer.toString(close.closeCode()));
                soft.assertThat(received).as("frames the server sent before its close: the ping after the bad frame "
                        + "must not be answered").noneMatch(frame -> frame.startsWith("pong"));
                soft.assertThat(close).as("the server's close frame").isNotNull();
                if (close != null) {
                    soft.assertThat(close.closeCode()).as("the close code for data that does not inflate")
                            .isEqualTo(1007);
                }
            }
            Health.checkHealthyAfter(target, baseline, summary, soft);
            soft.assertAll();
        });
    }

    private static String describe(RawWebSocket.Frame frame) {
        return switch (frame.opcode()) {
            case RawWebSocket.PONG -> "pong('" + frame.text() + "')";
            case RawWebSocket.PING -> "ping";
            case RawWebSocket.TEXT -> "text(" + frame.payload().length + "B)";
            default -> "opcode" + frame.opcode();
        };
    }
}
