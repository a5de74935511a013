package io.echowall.demo;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * A WebSocket client on the JDK's {@code java.net.http}: sends whole messages and collects the whole
 * messages and the close it receives, every wait bounded.
 */
final class JdkClient implements WebSocket.Listener, AutoCloseable {

    /** How long any single step may take. */
    static final Duration STEP = Duration.ofSeconds(20);

    /** A whole message received: its type and payload (UTF-8 bytes for text). */
    record Received(boolean text, byte[] payload) {

        static Received text(String s) {
            return new Received(true, s.getBytes(StandardCharsets.UTF_8));
        }

        static Received binary(byte[] b) {
            return new Received(false, b.clone());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Received r && r.text == text && Arrays.equals(r.payload, payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload) * 31 + Boolean.hashCode(text);
        }

        @Override
        public String toString() {
            String head = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 16));
            return (text ? "text" : "binary") + "(" + payload.length + " bytes: " + head + (payload.length > 16 ? "…" : "") + ")";
        }
    }

    /** The close frame the peer sent. */
    record Closed(int code, String reason) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private WebSocket socket;

    private JdkClient() {
    }

    /** Connects to {@code uri}. */
    static JdkClient connect(URI uri) {
        JdkClient client = new JdkClient();
        client.socket = HTTP.newWebSocketBuilder()
                .connectTimeout(STEP)
                .buildAsync(uri, client)
                .orTimeout(STEP.toMillis(), TimeUnit.MILLISECONDS)
                .join();
        return client;
    }

    void sendText(String s) {
        socket.sendText(s, true).orTimeout(STEP.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    void sendBinary(byte[] b) {
        socket.sendBinary(ByteBuffer.wrap(b), true).orTimeout(STEP.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Sends {@code b} as one frame of a binary message, the last one if {@code last}. */
    void sendBinaryFrame(byte[] b, boolean last) {
        socket.sendBinary(ByteBuffer.wrap(b), last).orTimeout(STEP.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /**
     * Starts sending a binary message without waiting for it: the server may close the connection
     * before it has read the whole message, so the send itself may fail.
     */
    CompletableFuture<WebSocket> startSendingBinary(byte[] b) {
        return socket.sendBinary(ByteBuffer.wrap(b), true);
    }

    /** Sends a close frame with {@code code} and {@code reason}. */
    void sendClose(int code, String reason) {
        socket.sendClose(code, reason).orTimeout(STEP.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** The next whole message, waiting up to {@link #STEP}. */
    Received next() throws InterruptedException {
        Received m = messages.poll(STEP.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            fail("no message within " + STEP + (closed.isDone() ? "; the connection closed: " + closed.getNow(null) : ""));
        }
        return m;
    }

    /** The messages received and not yet taken. */
    int pending() {
        return messages.size();
    }

    /** The close the server sent, waiting up to {@link #STEP}. */
    Closed awaitClose() {
        return closed.orTimeout(STEP.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(Received.text(text.toString()));
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            messages.add(new Received(false, binary.toByteArray()));
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    /** Drops the connection without a handshake if it is still up. */
    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
