package io.echowall.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echowall.Echowall;
import io.echowall.Message;
import io.echowall.RoomOptions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * echowall.js where WebSockets cannot open: headless Chromium loads the page through a proxy that
 * forwards HTTP but refuses every WebSocket upgrade with 403, as some corporate proxies do. The client,
 * with its default transport, must fall back to the event stream, receive every message the test
 * publishes once and in order, and publish messages that the room stores once each, in the page's order.
 *
 * <p>Needs Debian's Chromium at {@code /usr/bin/chromium}: without it the test is skipped, unless
 * {@code ECHOWALL_REQUIRE_BROWSER=1} makes that a failure.
 */
@Timeout(300)
class EventStreamFallbackBrowserTest {

    private static final int PUBLISHED = 1_000;
    private static final int MINE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PAGE = """
            <!doctype html>
            <meta charset="utf-8">
            <title>echowall.js without WebSockets</title>
            <script type="module">
              import { connect } from "/echowall/echowall.js";
              const feed = { received: [], acks: [], failures: [], errors: [] };
              const client = connect("/rooms", { retryBase: 100, retryCap: 1000 });
              client.on("error", (e) => feed.errors.push(e.code + ": " + e.message));
              feed.subscription = client.subscribe("feed", (data) => feed.received.push(data.n));
              feed.publishMine = async (count) => {
                for (let p = 0; p < count; p++) {
                  client.publish("mine", { p }).then((position) => feed.acks.push(position.offset),
                      (e) => feed.failures.push(e.code + ": " + e.message));
                  if (p % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 5));
                }
              };
              feed.client = client;
              window.feed = feed;
            </script>
            """;

    private static final String SUMMARY = """
            (() => ({count: feed.received.length, last: feed.received.at(-1), state: feed.client.state,
                     transport: feed.client.transport, acks: feed.acks.length, failures: feed.failures,
                     errors: feed.errors}))()""";

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void aPageBehindAProxyThatRefusesWebSocketsFallsBackAndLosesNothing() throws Exception {
        Echowall app = Echowall.create(c -> c.withHost("127.0.0.1").withStopOnShutdown(false));
        for (String room : List.of("feed", "mine")) {
            app.room(room, RoomOptions.defaults().withHistory(10_000, Duration.ofMinutes(5)));
        }
        app.roomsEndpoint("/rooms");
        app.get("/", ctx -> ctx.html(PAGE));
        app.start(0);
        List<Integer> seenByTest = new CopyOnWriteArrayList<>();
        WebSocket watcher = null;
        try (UpgradeRefusingProxy proxy = new UpgradeRefusingProxy(app.port()); var page = browser.newPage()) {
            // The test watches the page's room directly, over a WebSocket the proxy does not stand in.
            watcher = watch(app.port(), "mine", seenByTest);

            page.navigate(URI.create("http://127.0.0.1:" + proxy.port() + "/"));
            await(page, "the page's client to open and subscribe", () -> page.evaluate(
                    "window.feed !== undefined && feed.client.state === 'open' && feed.subscription.position !== null")
                    .asBoolean());
            assertThat(page.evaluate("feed.client.transport").asText()).isEqualTo("sse");
            assertThat(proxy.refusedUpgrades.get()).as("upgrades the proxy refused").isGreaterThanOrEqualTo(2);

            for (int n = 0; n < PUBLISHED; n++) {
                app.rooms().publish("feed", Message.text("{\"n\":" + n + "}"), "n" + n).get(30, TimeUnit.SECONDS);
            }
            await(page, "the page to reach message " + (PUBLISHED - 1), () -> page.evaluate(
                    "feed.received.length === 0 ? 0 : feed.received.at(-1) + 1").asInt() >= PUBLISHED);

            page.evaluate("feed.publishMine(" + MINE + "), true");
            await(page, "the page's publishes to be answered",
                    () -> page.evaluate("feed.acks.length + feed.failures.length").asInt() >= MINE);
            org.awaitility.Awaitility.await("the test to see the page's " + MINE + " messages")
                    .atMost(Duration.ofSeconds(60)).until(() -> seenByTest.size() >= MINE);

            JsonNode feed = page.evaluate("({received: feed.received, acks: feed.acks, failures: feed.failures,"
                    + " errors: feed.errors, transport: feed.client.transport})");
            assertThat(numbers(feed.path("received"))).as("the numbers the page received, in order")
                    .containsExactlyElementsOf(IntStream.range(0, PUBLISHED).boxed().toList());
            assertThat(feed.path("failures").size()).as("failed publishes: %s", feed.path("failures")).isZero();
            assertThat(feed.path("errors").size()).as("errors: %s", feed.path("errors")).isZero();
            assertThat(numbers(feed.path("acks"))).as("the offsets the page's publishes were stored at")
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, MINE).boxed().toList());
            assertThat(seenByTest).as("the page's messages as the room sent them to the test")
                    .containsExactlyElementsOf(IntStream.range(0, MINE).boxed().toList());
            assertThat(feed.path("transport").asText()).isEqualTo("sse");
            assertThat(proxy.forwarded.get()).as("requests the proxy forwarded").isGreaterThan(0);
        } finally {
            if (watcher != null) {
                watcher.abort();
            }
            app.stop();
        }
    }

    /** Subscribes to {@code room} over echowall.v1 on a WebSocket straight to the server, noting each {@code p}. */
    private static WebSocket watch(int port, String room, List<Integer> seen) throws Exception {
        AtomicInteger subscribed = new AtomicInteger();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        JsonNode m = JSON.readTree(text.toString());
                        switch (m.path("type").asText()) {
                            case "welcome" -> ws.sendText("{\"type\":\"subscribe\",\"room\":\"" + room + "\"}", true);
                            case "subscribed" -> subscribed.incrementAndGet();
                            case "message" -> seen.add(m.path("data").path("p").asInt());
                            default -> { }
                        }
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("echowall.v1")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/rooms"), listener).get(30, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await("the test's own subscription").atMost(Duration.ofSeconds(30))
                .until(() -> subscribed.get() == 1);
        return ws;
    }

    private static void await(DevTools.Page page, String what, BooleanSupplier condition) {
        try {
            page.await(what, condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("waited in vain for " + what + "; the page has " + page.evaluate(SUMMARY), e);
        }
    }

    private static List<Integer> numbers(JsonNode array) {
        List<Integer> numbers = new ArrayList<>();
        array.forEach(n -> numbers.add(n.asInt()));
        return numbers;
    }

    /**
     * A TCP proxy on 127.0.0.1 in front of the server: it reads each connection's first request head,
     * answers 403 and closes when it asks to upgrade to WebSocket, and otherwise forwards the bytes both
     * ways as they come. Chromium opens every WebSocket on a connection of its own, so the first request
     * is the one to judge.
     */
    private static final class UpgradeRefusingProxy implements AutoCloseable {
        final AtomicInteger refusedUpgrades = new AtomicInteger();
        final AtomicInteger forwarded = new AtomicInteger();
        private final ServerSocket listening;
        private final int upstream;
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

        UpgradeRefusingProxy(int upstream) throws IOException {
            this.upstream = upstream;
            this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().name("proxy-accept").start(this::accept);
        }

        int port() {
            return listening.getLocalPort();
        }

        private void accept() {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    sockets.add(client);
                    Thread.ofVirtual().start(() -> serve(client));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket client) {
            try {
                InputStream in = client.getInputStream();
                byte[] head = readHead(in);
                if (head == null) {
                    client.close();
                    return;
                }
                String text = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                if (text.contains("\nupgrade: websocket")) {
                    refusedUpgrades.incrementAndGet();
                    client.getOutputStream().write(("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n"
                            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    client.close();
                    return;
                }
                forwarded.incrementAndGet();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstream);
                sockets.add(server);
                server.getOutputStream().write(head);
                Thread.ofVirtual().start(() -> pump(server, client));
                pump(client, server);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }

        /** The bytes up to and including the first empty line, or null if the connection ends before. */
        private static byte[] readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            }
            return head.toByteArray();
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16 << 10];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // One side went: the other follows.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing is all that was left to do.
            }
        }

        @Override
        public void close() throws IOException {
            listening.close();
            sockets.forEach(UpgradeRefusingProxy::closeQuietly);
        }
    }
}
