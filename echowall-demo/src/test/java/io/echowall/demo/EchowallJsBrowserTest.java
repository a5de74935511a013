package io.echowall.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.echowall.CloseCode;
import io.echowall.CloseStatus;
import io.echowall.Echowall;
import io.echowall.Message;
import io.echowall.RoomAccess;
import io.echowall.RoomOptions;
import io.echowall.WebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * echowall.js in a real browser: headless Chromium, driven through the DevTools protocol, loads a page
 * that subscribes to a room with the client the server serves, while the test publishes a numbered
 * stream of messages to the room and cuts the page's connection again and again: the server closes it
 * (1012) several times mid-stream, then stops and starts again on the same port (a new, empty history).
 * The page must end with every message exactly once and in order, told of exactly one gap, the
 * restart's, which the test waits out before publishing again. A second test has the page publish
 * while its connection is closed under it: every publish is acknowledged and stored once, in order.
 *
 * <p>Needs Debian's Chromium at {@code /usr/bin/chromium}: without it the test is skipped, unless
 * {@code ECHOWALL_REQUIRE_BROWSER=1} makes that a failure.
 */
@Timeout(300)
class EchowallJsBrowserTest {

    /** Messages published before the restart, and the cuts made while they stream. */
    private static final int BEFORE_RESTART = 600;
    private static final int CUTS = 5;
    /** Messages published after the restart, with one more cut among them. */
    private static final int AFTER_RESTART = 200;
    /** Messages the page publishes itself. */
    private static final int MINE = 300;
    private static final Duration STEP = Duration.ofSeconds(30);

    /**
     * The page: the client from the server, quick retries (the test cuts often), and everything it is
     * told kept in {@code window.feed} for the test to read.
     */
    private static final String PAGE = """
            <!doctype html>
            <meta charset="utf-8">
            <title>echowall.js under cuts</title>
            <script type="module">
              import { connect } from "/echowall/echowall.js";
              const feed = { received: [], gaps: [], opens: 0, errors: [] };
              const client = connect("/rooms", { retryBase: 100, retryCap: 1000 });
              client.on("state", (e) => { if (e.state === "open") feed.opens++; });
              client.on("error", (e) => feed.errors.push(e.code + ": " + e.message));
              feed.subscription = client.subscribe("feed", (data) => feed.received.push(data.n),
                  { onGap: (e) => feed.gaps.push(e.reason) });
              // The page's own publishes, a few ms apart, whatever the connection is doing.
              Object.assign(feed, { mine: [], acks: [], failures: [] });
              client.subscribe("mine", (data) => feed.mine.push(data.p));
              feed.publishMine = async (count) => {
                for (let p = 0; p < count; p++) {
                  client.publish("mine", { p }).then((position) => feed.acks.push(position.offset),
                      (e) => feed.failures.push(e.code + ": " + e.message));
                  await new Promise((resolve) => setTimeout(resolve, 5));
                }
              };
              feed.client = client;
              window.feed = feed;
            </script>
            """;

    /** What the page received, in a few words: for failure messages. */
    private static final String SUMMARY = """
            (() => {
              const r = feed.received;
              const firstOutOfPlace = r.findIndex((n, i) => n !== i);
              return {count: r.length, last: r.at(-1), firstOutOfPlace, thereInstead: r[firstOutOfPlace],
                      gaps: feed.gaps, opens: feed.opens, state: feed.client.state, errors: feed.errors,
                      mine: feed.mine.length, acks: feed.acks.length, failures: feed.failures};
            })()""";

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void aPageGetsEveryMessageOnceInOrderAcrossServerClosesAndARestart() throws Exception {
        List<FeedServer> servers = new ArrayList<>();
        FeedServer server = new FeedServer(0);
        servers.add(server);
        int port = server.port();
        try (var page = browser.newPage()) {
            open(page, server);

            // Published on a thread of its own, in order, while the connection is cut under the page.
            AtomicInteger next = new AtomicInteger();
            Thread publisher = Thread.ofVirtual().start(() -> publish(server, next, BEFORE_RESTART));
            for (int cut = 1; cut <= CUTS; cut++) {
                int connection = cut;
                int threshold = cut * BEFORE_RESTART / (CUTS + 1);
                await(page, "the page's connection #" + connection + " with " + threshold + " messages",
                        () -> server.connections.size() >= connection && reached(page) >= threshold);
                server.cutAll();
            }
            assertThat(publisher.join(STEP)).as("the publisher finished").isTrue();
            assertThat(next.get()).isEqualTo(BEFORE_RESTART);
            await(page, "the page to reach message " + (BEFORE_RESTART - 1), () -> reached(page) >= BEFORE_RESTART);

            // A restart on the same port: the history is gone, so the page is told of a gap (epoch) when
            // it resubscribes; what is published after that reaches it.
            String epoch = page.evaluate("feed.subscription.position.epoch").asText();
            server.close();
            FeedServer restarted = new FeedServer(port);
            servers.add(restarted);
            await(page, "the page to resubscribe after the restart", () -> restarted.connections.size() >= 1
                    && !page.evaluate("feed.subscription.position.epoch").asText().equals(epoch));
            publish(restarted, next, AFTER_RESTART / 2);
            await(page, "half the messages after the restart",
                    () -> reached(page) >= BEFORE_RESTART + AFTER_RESTART / 2);
            restarted.cutAll();
            publish(restarted, next, AFTER_RESTART / 2);
            int total = BEFORE_RESTART + AFTER_RESTART;
            await(page, "the page to reach message " + (total - 1), () -> reached(page) >= total);

            JsonNode feed = page.evaluate("({received: feed.received, gaps: feed.gaps, errors: feed.errors})");
            assertThat(numbers(feed.path("received"))).as("the numbers the page received, in order")
                    .containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
            assertThat(feed.path("gaps").toString()).isEqualTo("[\"epoch\"]");
            assertThat(feed.path("errors").size()).as("errors: %s", feed.path("errors")).isZero();
        } finally {
            servers.forEach(FeedServer::close);
        }
    }

    /**
     * The page publishes a message every few ms while the server closes its connection again and again:
     * those made while it is away wait in its queue, those in flight when the connection went are sent
     * again with the same id, and the room stores each once.
     */
    @Test
    void aPagesOwnPublishesAreStoredOnceAndInOrderAcrossServerCloses() throws Exception {
        try (var server = new FeedServer(0); var page = browser.newPage()) {
            open(page, server);
            page.evaluate("feed.publishMine(" + MINE + "), true"); // runs on in the page; not awaited
            for (int cut = 1; cut <= CUTS; cut++) {
                int connection = cut;
                int threshold = cut * MINE / (CUTS + 1);
                await(page, "the page's connection #" + connection + " with " + threshold + " publishes answered",
                        () -> server.connections.size() >= connection && answered(page) >= threshold);
                server.cutAll();
            }
            await(page, "the page's " + MINE + " publishes to be answered", () -> answered(page) >= MINE);
            await(page, "the page to reach its own message " + (MINE - 1),
                    () -> page.evaluate("feed.mine.length === 0 ? 0 : feed.mine.at(-1) + 1").asInt() >= MINE);

            JsonNode mine = page.evaluate("({mine: feed.mine, acks: feed.acks, failures: feed.failures})");
            assertThat(mine.path("failures").size()).as("failed publishes: %s", mine.path("failures")).isZero();
            assertThat(numbers(mine.path("acks"))).as("the offsets the page's publishes were acknowledged with")
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, MINE).boxed().toList());
            assertThat(numbers(mine.path("mine"))).as("the page's own messages, as the room sent them back")
                    .containsExactlyElementsOf(IntStream.range(0, MINE).boxed().toList());
        }
    }

    /** Loads the page and waits until its client has subscribed. */
    private static void open(DevTools.Page page, FeedServer server) {
        page.navigate(server.uri("/"));
        await(page, "the page's client to subscribe", () -> page.evaluate(
                "window.feed !== undefined && feed.client.state === 'open' && feed.subscription.position !== null").asBoolean());
    }

    /** Publishes {@code count} numbered messages, each once it has its position, a little apart. */
    private static void publish(FeedServer server, AtomicInteger next, int count) {
        try {
            for (int i = 0; i < count; i++) {
                int n = next.getAndIncrement();
                server.app.rooms().publish("feed", Message.text("{\"n\":" + n + "}"), "n" + n)
                        .get(STEP.toMillis(), TimeUnit.MILLISECONDS);
                Thread.sleep(3); // a stream, not a burst: the cuts fall among the messages
            }
        } catch (Exception e) {
            throw new AssertionError("publishing failed", e);
        }
    }

    /** Waits for {@code condition} as the page's own await does; on a timeout, says what the page has. */
    private static void await(DevTools.Page page, String what, BooleanSupplier condition) {
        page.await(what, condition, SUMMARY);
    }

    /**
     * How far the page got: one more than the last number it received. Waiting on this rather than on a
     * count lets a page that lost or repeated messages reach the final check, which says which.
     */
    private static int answered(DevTools.Page page) {
        return page.evaluate("feed.acks.length + feed.failures.length").asInt();
    }

    private static List<Integer> numbers(JsonNode array) {
        List<Integer> numbers = new ArrayList<>();
        array.forEach(n -> numbers.add(n.asInt()));
        return numbers;
    }

    private static int reached(DevTools.Page page) {
        return page.evaluate("feed.received.length === 0 ? 0 : feed.received[feed.received.length - 1] + 1").asInt();
    }

    /**
     * The app under test: a rooms endpoint at {@code /rooms} whose connections the test can close, the
     * page at {@code /}, and rooms {@code feed} and {@code mine} whose histories outlast the cuts.
     */
    private static final class FeedServer implements AutoCloseable {
        final Echowall app;
        final Set<WebSocket> connections = ConcurrentHashMap.newKeySet();

        FeedServer(int port) {
            app = Echowall.create(c -> c.withHost("127.0.0.1").withStopOnShutdown(false));
            for (String room : List.of("feed", "mine")) {
                app.room(room, RoomOptions.defaults().withHistory(10_000, Duration.ofMinutes(5)));
            }
            app.roomsEndpoint("/rooms", new RoomAccess() {
                @Override
                public boolean maySubscribe(WebSocket ws, String room) {
                    connections.add(ws);
                    return true;
                }
            });
            app.get("/", ctx -> ctx.html(PAGE));
            app.start(port);
        }

        int port() {
            return app.port();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port() + path);
        }

        /** Closes every open connection of the endpoint from the server's side; checks that there was one. */
        void cutAll() {
            int cut = 0;
            for (WebSocket ws : connections) {
                if (ws.state() == WebSocket.State.OPEN) {
                    ws.close(new CloseStatus(CloseCode.SERVICE_RESTART.code(), "cut by the test"));
                    cut++;
                }
            }
            assertThat(cut).as("open connections the test cut").isEqualTo(1);
        }

        @Override
        public void close() {
            app.stop();
        }
    }
}
