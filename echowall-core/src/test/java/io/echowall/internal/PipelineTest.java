package io.echowall.internal;

import io.echowall.EchowallConfig;
import io.echowall.Message;
import io.echowall.WebSocket;
import io.echowall.WebSocketListener;
import io.echowall.WebSocketOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole server pipeline on an embedded channel: bytes in, bytes out, for what is decided on the
 * event loop alone (requests that never reach user code, upgrades to an event-loop listener, deadlines).
 */
class PipelineTest {

    /** A standard upgrade request for {@code /echo} (RFC 6455 section 4.1), without its final blank line. */
    private static final String UPGRADE_HEAD = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1:5000\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

    private final Application app = new Application(EchowallConfig.defaults().withHost("127.0.0.1")
            .withIdleTimeout(java.time.Duration.ofSeconds(60)));
    private EmbeddedChannel channel;

    PipelineTest() {
        addEcho(app);
    }

    private static void addEcho(Application app) {
        app.webSocket("/echo", WebSocketOptions.defaults().withEventLoop(true), new WebSocketListener() {
            @Override
            public void onMessage(WebSocket ws, Message message) {
                ws.send(message);
            }
        });
    }

    /** A new connection to the app. */
    private EmbeddedChannel connect() {
        return connect(app);
    }

    private EmbeddedChannel connect(Application app) {
        channel = new EmbeddedChannel(new PipelineInitializer(app, ConcurrentHashMap.newKeySet(),
                ConcurrentHashMap.newKeySet(), null, true));
        channel.freezeTime();
        return channel;
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void send(String ascii, byte[]... more) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(ascii.getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] m : more) {
            bytes.writeBytes(m);
        }
        channel.writeInbound(Unpooled.wrappedBuffer(bytes.toByteArray()));
    }

    /** Everything written so far, as ISO-8859-1 text (one char per byte). */
    private String received() {
        StringBuilder out = new StringBuilder();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }

    @Test
    void aFrameRightBehindTheUpgradeRequestIsEchoedAfterThe101() {
        connect();
        send(UPGRADE_HEAD + "\r\n", ClientFrames.text("hello".getBytes(StandardCharsets.UTF_8)));
        String out = received();
        assertThat(out).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
        assertThat(out).endsWith("\r\n\r\n\u0081\u0005hello"); // the echo, unmasked, right after the head
    }

    @Test
    void the101IsExactlyTheRfcsAnswerAndNoHttpHandlerIsLeft() {
        Application app = new Application(EchowallConfig.defaults().withHost("127.0.0.1"));
        app.webSocket("/echo", WebSocketOptions.defaults().withEventLoop(true).withSubprotocols("v2.chat", "chat"),
                new WebSocketListener() {
                });
        connect(app);
        send(UPGRADE_HEAD + "Sec-WebSocket-Protocol: chat, v2.chat\r\n\r\n");
        // The accept value is the worked example of RFC 6455 section 1.3.
        assertThat(received()).isEqualTo("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: v2.chat\r\n\r\n");
        assertThat(channel.pipeline().names()).startsWith("wsencoder", PipelineInitializer.WS_DECODER, "websocket")
                .doesNotContain(PipelineInitializer.DEADLINE, "codec", "body", PipelineInitializer.HTTP);
    }

    @Test
    void onlyAnUncompressedWebSocketReadsInLargeReads() {
        connect();
        assertThat((Object) channel.config().getRecvByteBufAllocator()).isNotSameAs(ReadSizes.WHEN_RETURNED);
        send(UPGRADE_HEAD + "\r\n");
        assertThat(received()).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
        assertThat((Object) channel.config().getRecvByteBufAllocator()).isSameAs(ReadSizes.WHEN_RETURNED);

        channel.finishAndReleaseAll();
        Application deflating = new Application(EchowallConfig.defaults().withHost("127.0.0.1").withPermessageDeflate(true));
        addEcho(deflating);
        connect(deflating);
        send(UPGRADE_HEAD + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n");
        assertThat(received()).startsWith("HTTP/1.1 101 Switching Protocols\r\n").contains("permessage-deflate");
        assertThat((Object) channel.config().getRecvByteBufAllocator()).isNotSameAs(ReadSizes.WHEN_RETURNED);
    }

    @Test
    void aRefusedUpgradeClosesTheConnectionAndWhatCameBehindIsDropped() {
        connect();
        send(UPGRADE_HEAD + "Origin: http://evil.example\r\n\r\n", ClientFrames.text("hello".getBytes(StandardCharsets.UTF_8)));
        assertThat(received()).startsWith("HTTP/1.1 403 Forbidden").doesNotContain("hello");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void pipelinedRequestsThatNeedNoUserCodeAreAnsweredInOrder() {
        connect();
        send("GET /a HTTP/1.1\r\nHost: localhost\r\n\r\nGET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n");
        String out = received();
        assertThat(out).startsWith("HTTP/1.1 404 Not Found");
        assertThat(out.indexOf("HTTP/1.1 426")).isGreaterThan(out.indexOf("HTTP/1.1 404"));
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void http2RequestLinesGet505AndForeignHostNamesGet403() {
        connect();
        send("GET / HTTP/2.0\r\nHost: localhost\r\n\r\n");
        assertThat(received()).startsWith("HTTP/1.1 505 HTTP Version Not Supported");
        channel.finishAndReleaseAll();
        connect();
        send("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n");
        assertThat(received()).startsWith("HTTP/1.1 403 Forbidden");
    }

    @Test
    void aRequestTrickledPastTheIdleTimeoutGets408AndASilentConnectionIsClosed() {
        connect();
        send("GET / HTTP/1.1\r\nHost: loc");
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(received()).startsWith("HTTP/1.1 408 Request Timeout");
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
        connect();
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(received()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }
}
