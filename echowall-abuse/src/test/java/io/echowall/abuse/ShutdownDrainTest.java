package io.echowall.abuse;

import io.echowall.testing.RawWebSocket;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack 8 (an ordinary deploy, really): the server gets SIGTERM while a client has 300 messages
 * waiting in a slow handler's inbox. A graceful stop answers what it already received: every echo
 * goes out, in order, then the close with 1001, then the connection ends.
 */
@Timeout(60)
class ShutdownDrainTest {

    private static final int MESSAGES = 300;

    private Target target;

    @AfterEach
    void stopTarget() throws InterruptedException {
        if (target != null) {
            target.stop();
        }
    }

    @Test
    void aGracefulStopEchoesEveryReceivedMessageBeforeClosingWith1001() throws Exception {
        Summary.run("shutdown-drain style=BLOCKING", summary -> {
            target = Target.start("shutdown-drain", HandlerStyle.BLOCKING, false);
            List<String> sent = IntStream.range(0, MESSAGES).mapToObj(i -> "message-" + i).toList();
            List<String> echoes = new ArrayList<>();
            RawWebSocket.Frame close = null;
            boolean ended;
            try (RawWebSocket ws = RawWebSocket.open(target.port(), "/slow-echo")) {
                ws.sendRaw(Frames.concat(sent.stream()
                        .map(m -> RawWebSocket.encode(0x80 | RawWebSocket.TEXT, m.getBytes(StandardCharsets.UTF_8), true))
                        .toArray(byte[][]::new)));
                RawWebSocket.Frame first = ws.read();
                assertThat(first).as("the first echo, before the stop").isNotNull();
                echoes.add(first.text());

                long sigterm = System.nanoTime();
                target.process().destroy(); // SIGTERM: the target's shutdown hook stops the app gracefully
                try {
                    for (RawWebSocket.Frame frame = ws.read(); frame != null; frame = ws.read()) {
                        if (frame.opcode() == RawWebSocket.TEXT) {
                            echoes.add(frame.text());
                        } else if (frame.opcode() == RawWebSocket.CLOSE) {
                            close = frame;
                            break;
                        }
                    }
                } catch (SocketTimeoutException e) {
                    summary.put("stalled", "no frame for 10 s");
                } catch (IOException e) {
                    summary.put("broke", "'" + e.getMessage() + "'");
                }
                if (close != null) {
                    try {
                        ws.sendClose(close.closeCode(), ""); // the client's half of the close handshake
                    } catch (IOException serverAlreadyClosed) {
                        // the server need not wait for it
                    }
                }
                ended = ws.serverClosedConnection();
                summary.put("connectionEndedAfter", Duration.ofNanos(System.nanoTime() - sigterm).toMillis() + "ms");
            }
            boolean exited = target.awaitExit(Duration.ofSeconds(15));

            summary.put("echoes", echoes.size() + "/" + MESSAGES);
            summary.put("close", close == null ? "none" : Integer.toString(close.closeCode()));
            summary.put("eof", ended);
            summary.put("exit", exited ? Integer.toString(target.exitValue()) : "still-running");
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(echoes.size()).as("echoes received before the close (of %d sent)", MESSAGES)
                    .isEqualTo(MESSAGES);
            soft.assertThat(echoes).as("the echoes, in the order sent")
                    .isEqualTo(sent.subList(0, Math.min(echoes.size(), MESSAGES)));
            soft.assertThat(close).as("a close frame after the echoes").isNotNull();
            if (close != null) {
                soft.assertThat(close.closeCode()).as("the close code of a server going away").isEqualTo(1001);
            }
            soft.assertThat(ended).as("the server closed the connection after the close handshake").isTrue();
            soft.assertThat(exited).as("the target exited within 15 s of SIGTERM").isTrue();
            soft.assertThat(target.logShowsOutOfMemoryError()).as("the log shows an OutOfMemoryError").isFalse();
            soft.assertAll();
        });
    }
}
