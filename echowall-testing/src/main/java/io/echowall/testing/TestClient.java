package io.echowall.testing;

import io.echowall.Message;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A WebSocket client for tests, on the JDK's own {@link WebSocket}: it sends whole messages, keeps
 * what the server sends in order, and checks it with expectations that wait up to a deadline (5 s
 * unless {@linkplain #within(Duration) changed}) and fail with an {@link AssertionError} saying what
 * was expected and what came instead, or that nothing came.
 *
 * <pre>{@code
 * try (TestClient client = server.connect("/foobar/")) {
 *     client.send("hello");
 *     client.expectText("hello");
 *     client.close(4000, "bye");
 *     assertEquals("bye", client.expectClose(4000));
 * }
 * }</pre>
 *
 * <p>Get one from {@link TestServer#connect(String)}. A message arrives whole however many frames it
 * came in, and the JDK answers the server's pings. A client is meant for one test thread at a time.
 */
public final class TestClient implements AutoCloseable {

    private final URI uri;
    private final WebSocket socket;
    private final Receiver receiver;
    private final Consumer<TestClient> onClose;
    private volatile Duration deadline;

    private TestClient(URI uri, WebSocket socket, Receiver receiver, Duration deadline, Consumer<TestClient> onClose) {
        this.uri = uri;
        this.socket = socket;
        this.receiver = receiver;
        this.deadline = deadline;
        this.onClose = onClose;
    }

    /**
     * Opens a WebSocket to {@code uri} on any server, such as one in another process, waiting up to
     * 5 s for the handshake.
     *
     * @throws AssertionError if the server refuses the upgrade (the message has its status) or does not answer
     */
    public static TestClient connect(URI uri) {
        return connect(HttpClient.newHttpClient(), uri, Map.of(), new String[0], Duration.ofSeconds(5), client -> { });
    }

    /**
     * Opens a WebSocket to {@code uri} through {@code http}, waiting up to {@code deadline} for the
     * handshake; {@code onClose} hears when the client is closed.
     */
    static TestClient connect(HttpClient http, URI uri, Map<String, String> headers, String[] subprotocols,
                              Duration deadline, Consumer<TestClient> onClose) {
        Receiver receiver = new Receiver();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(deadline);
        headers.forEach(builder::header);
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        CompletableFuture<WebSocket> opening = builder.buildAsync(uri, receiver);
        try {
            WebSocket socket = opening.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
            return new TestClient(uri, socket, receiver, deadline, onClose);
        } catch (TimeoutException e) {
            opening.thenAccept(WebSocket::abort); // should it open after all
            throw new AssertionError("could not connect to " + uri + ": no handshake within " + Deadlines.describe(deadline));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new AssertionError("could not connect to " + uri + ": the server answered "
                        + refused.getResponse().statusCode() + " instead of 101 Switching Protocols", refused);
            }
            throw new AssertionError("could not connect to " + uri + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            throw Deadlines.interrupted("connecting to " + uri, e);
        }
    }

    /**
     * Makes every later wait of this client last up to {@code deadline}, instead of the server's
     * deadline when it connected (5 s unless changed).
     *
     * @return this client
     */
    public TestClient within(Duration deadline) {
        this.deadline = Deadlines.checked(deadline);
        return this;
    }

    /** The subprotocol the server chose among those offered, or an empty string if none. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /**
     * The JDK's WebSocket underneath, for what this class does not wrap: fragmented messages, pings,
     * sends that must not wait. Do not call its {@code request} method: the client asks for messages
     * itself, and what arrives still goes to {@link #nextMessage()} and the expectations.
     */
    public WebSocket webSocket() {
        return socket;
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends a text message, waiting until it is handed to the network.
     *
     * @throws AssertionError if it cannot be sent within the deadline, or the connection is closed
     */
    public void send(String text) {
        Objects.requireNonNull(text, "text");
        String what = "sending " + describeText(text);
        refuseAfterClose(what);
        Deadlines.await(socket.sendText(text, true), deadline, () -> what);
    }

    /**
     * Sends a binary message, waiting until it is handed to the network.
     *
     * @throws AssertionError if it cannot be sent within the deadline, or the connection is closed
     */
    public void send(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        String what = "sending " + describeBinary(bytes);
        refuseAfterClose(what);
        Deadlines.await(socket.sendBinary(ByteBuffer.wrap(bytes), true), deadline, () -> what);
    }

    /**
     * Fails a send once the server's close has arrived: the JDK answers that close only after the
     * listener returns, so without this check a send could still slip out in between.
     */
    private void refuseAfterClose(String what) {
        if (receiver.closed.isDone()) {
            throw new AssertionError(what + " failed: " + connectionState().substring(2));
        }
    }

    // ---------------------------------------------------------------- expectations

    /**
     * The next message from the server, waiting up to the deadline.
     *
     * @throws AssertionError if none comes in time
     */
    public Message nextMessage() {
        return nextMessage(deadline);
    }

    /**
     * The next message from the server, waiting up to {@code timeout}.
     *
     * @throws AssertionError if none comes in time
     */
    public Message nextMessage(Duration timeout) {
        return next(() -> "a message", timeout);
    }

    /**
     * Expects the next message to be the text {@code expected}.
     *
     * @throws AssertionError if another message comes, or none within the deadline
     */
    public void expectText(String expected) {
        expect(Message.text(expected));
    }

    /**
     * Expects the next message to be binary, holding exactly {@code expected}.
     *
     * @throws AssertionError if another message comes, or none within the deadline
     */
    public void expectBinary(byte[] expected) {
        expect(Message.binary(expected));
    }

    private void expect(Message expected) {
        Message actual = next(() -> describe(expected), deadline);
        if (!actual.equals(expected)) {
            throw new AssertionError("expected " + describe(expected) + ", but got " + describe(actual)
                    + difference(expected, actual));
        }
    }

    /**
     * Expects no message for {@code quiet}; {@link Duration#ZERO} checks only what has already arrived.
     *
     * @throws AssertionError if a message comes
     */
    public void expectNoMessage(Duration quiet) {
        Message m = poll(quiet, "waiting for quiet");
        if (m != null) {
            throw new AssertionError("expected no message" + (quiet.isZero() ? "" : " for " + Deadlines.describe(quiet))
                    + ", but got " + describe(m));
        }
    }

    /**
     * Expects the server's close frame to carry {@code code}, waiting up to the deadline for it.
     * Messages that came before the close stay readable with {@link #nextMessage()}.
     *
     * @return the close frame's reason, empty if it has none
     * @throws AssertionError if the server closes with another code, drops the connection without a
     *                        close frame, or keeps it open past the deadline
     */
    public String expectClose(int code) {
        String expectation = "expected the server to close with " + code;
        Closed closed;
        try {
            closed = receiver.closed.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(expectation + " within " + Deadlines.describe(deadline)
                    + ", but the connection is still open" + unread());
        } catch (ExecutionException e) {
            throw new AssertionError(expectation + ", but the connection failed without a close frame: "
                    + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            throw Deadlines.interrupted("waiting for the server's close", e);
        }
        if (closed.code() != code) {
            throw new AssertionError(expectation + ", but it closed with " + closed);
        }
        return closed.reason();
    }

    private Message next(Supplier<String> expected, Duration timeout) {
        Message m = poll(timeout, "waiting for a message");
        if (m == null) {
            throw new AssertionError("expected " + expected.get() + " within " + Deadlines.describe(timeout)
                    + ", but nothing came" + connectionState());
        }
        return m;
    }

    private Message poll(Duration timeout, String what) {
        try {
            return receiver.messages.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw Deadlines.interrupted(what, e);
        }
    }

    /** Why nothing may have come: the connection's end, if it ended. */
    private String connectionState() {
        CompletableFuture<Closed> closed = receiver.closed;
        if (!closed.isDone()) {
            return "";
        }
        if (closed.isCompletedExceptionally()) {
            return "; the connection failed: " + closed.exceptionNow();
        }
        return "; the connection closed with " + closed.resultNow();
    }

    private String unread() {
        int waiting = receiver.messages.size();
        return waiting == 0 ? "" : " (" + waiting + " unread message" + (waiting == 1 ? "" : "s") + ", the first "
                + describe(receiver.messages.peek()) + ")";
    }

    // ---------------------------------------------------------------- closing

    /**
     * Starts the closing handshake with {@code code} and {@code reason}, waiting until the close frame
     * is sent; {@link #expectClose(int)} then checks the server's answer.
     *
     * @throws AssertionError if the close frame cannot be sent within the deadline
     */
    public void close(int code, String reason) {
        Deadlines.await(socket.sendClose(code, reason), deadline, () -> "sending the close " + new Closed(code, reason));
    }

    /**
     * Closes the connection: sends a normal close (1000) unless a close was already sent, waits up to the
     * deadline for the server's close, then releases the connection. Never fails; a close that goes
     * wrong is for {@link #close(int, String)} and {@link #expectClose(int)} to check.
     */
    @Override
    public void close() {
        try {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(deadline.toNanos(), TimeUnit.NANOSECONDS);
            }
            receiver.closed.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The server did not close in kind: the connection is cut below all the same.
        } finally {
            abort();
        }
    }

    /** Drops the connection at once, without a closing handshake. */
    void abort() {
        socket.abort();
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "TestClient(" + uri + ")";
    }

    // ---------------------------------------------------------------- describing messages

    private static final int SHOWN = 60;

    /** A message as a failure message shows it: its type and the start of its content. */
    private static String describe(Message m) {
        return m.isText() ? describeText(m.text()) : describeBinary(m.bytes());
    }

    private static String describeText(String text) {
        return "text \"" + (text.length() > SHOWN ? text.substring(0, SHOWN) + "…" : text) + "\" ("
                + text.length() + " chars)";
    }

    private static String describeBinary(byte[] bytes) {
        int shown = Math.min(bytes.length, SHOWN / 2);
        return "binary [" + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, shown) + (bytes.length > shown ? " …" : "")
                + "] (" + bytes.length + " bytes)";
    }

    /** Where two messages of the same type first differ, when their descriptions cannot show it. */
    private static String difference(Message expected, Message actual) {
        if (expected.isText() != actual.isText()) {
            return "";
        }
        int at = expected.isText() ? firstDifference(expected.text(), actual.text())
                : Arrays.mismatch(expected.bytes(), actual.bytes());
        return at < SHOWN / 2 ? "" : "; they first differ at " + (expected.isText() ? "char " : "byte ") + at;
    }

    private static int firstDifference(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- receiving

    /** A close frame; 1006, which no frame may carry, stands for a connection that ended without one. */
    private record Closed(int code, String reason) {

        private static final int NO_CLOSE_FRAME = 1006;

        @Override
        public String toString() {
            if (code == NO_CLOSE_FRAME) {
                return "1006 (no close frame: the connection just ended)";
            }
            return reason.isEmpty() ? Integer.toString(code) : code + " \"" + reason + "\"";
        }
    }

    /** Collects whole messages and the server's close; the JDK calls it one event at a time. */
    private static final class Receiver implements WebSocket.Listener {

        final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Closed> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(Message.text(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            binary.writeBytes(part);
            if (last) {
                messages.add(Message.wrap(false, binary.toByteArray()));
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        /** Returning at once lets the JDK answer with the same code, as RFC 6455 section 5.5.1 asks. */
        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
