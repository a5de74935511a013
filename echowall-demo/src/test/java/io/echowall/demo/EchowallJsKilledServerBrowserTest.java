package io.echowall.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.echowall.Echowall;
import io.echowall.Message;
import io.echowall.external.CuttingProxy;
import io.echowall.external.Processes;
import io.echowall.redis.RedisBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * echowall.js in a real browser through every kind of cut at once: headless Chromium loads a page from
 * server A, a JVM of its own on a Redis, through a TCP proxy on loopback, and subscribes to a room while
 * the test publishes 5,000 numbered messages to it through server B on the same Redis, a few ms apart.
 * Mid-stream, A closes the page's connection (a server-side close), the proxy resets it (a dropped TCP
 * connection), A is killed (SIGKILL) and started again on the same port, the proxy loses what A sends
 * for a while and then resets the connection, and A closes it once more.
 * The room's history is in Redis, so every resume recovers: the page must end with the numbers 0 to
 * 4,999, each once and in order, and no gap. All the while the page publishes to a room of its own
 * every 20 ms: each of its publishes is acknowledged and stored once, in order, also those whose ack the
 * killed server never sent.
 *
 * <p>Needs Debian's Chromium at {@code /usr/bin/chromium}: without it the test is skipped, unless
 * {@code ECHOWALL_REQUIRE_BROWSER=1} makes that a failure.
 */
@Timeout(240)
class EchowallJsKilledServerBrowserTest {

    private static final int TOTAL = 5000;
    /** The page's progress at which each of the five cuts is made: a sixth of the stream apart. */
    private static final int CUT_EVERY = TOTAL / 6;
    private static final Duration STEP = Duration.ofSeconds(30);

    /** What the page received, in a few words: for failure messages. */
    private static final String SUMMARY = """
            (() => {
              const r = feed.received;
              const firstOutOfPlace = r.findIndex((n, i) => n !== i);
              return {count: r.length, last: r.at(-1), firstOutOfPlace, thereInstead: r[firstOutOfPlace],
                      gaps: feed.gaps, opens: feed.opens, state: feed.client.state, errors: feed.errors};
            })()""";

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void aPageGetsEveryMessageOnceInOrderThroughACloseADropAndAKilledServer() throws Exception {
        List<Process> processes = new ArrayList<>();
        Path logs = Files.createTempDirectory("echowall-feed-server-");
        HttpClient http = HttpClient.newHttpClient();
        Echowall b = null;
        try (TestRedis redis = TestRedis.start()) {
            Process a = startServerA(redis, 0, logs.resolve("a1.log"));
            processes.add(a);
            int port = awaitPort(a, logs.resolve("a1.log"));
            b = Echowall.create(c -> c.withHost("127.0.0.1").withBroker(RedisBroker.connect(redis.uri())));
            b.room("feed", FeedServerMain.feedOptions());
            b.start(0);
            Echowall publisherApp = b;
            try (CuttingProxy proxy = CuttingProxy.start(port); var page = browser.newPage()) {
                page.navigate(URI.create("http://127.0.0.1:" + proxy.port() + "/"));
                await(page, "the page's client to subscribe", () -> page.evaluate(
                        "window.feed !== undefined && feed.client.state === 'open' && feed.subscription.position !== null").asBoolean());

                page.evaluate("feed.publishMine(), true"); // runs on in the page, through every cut; not awaited
                AtomicInteger next = new AtomicInteger();
                Thread publisher = Thread.ofVirtual().start(() -> publish(publisherApp, next));
                // 1: the server closes the page's connection.
                awaitProgress(page, 1, next);
                assertThat(cutFromServer(http, port)).as("connections A closed").isEqualTo(1);
                // 2: the TCP connection is reset under both ends.
                awaitProgress(page, 2, next);
                assertThat(proxy.cut()).as("connections the proxy reset").isGreaterThanOrEqualTo(1);
                // 3: A is killed without warning, and started again on the same port and the same Redis.
                awaitProgress(page, 3, next);
                // What A answers in its last moments is lost, so the page has publishes A applied but never
                // acknowledged: it sends them again to the restarted A, which must know them from Redis.
                assertThat(proxy.loseReplies()).as("connections losing what A sends").isGreaterThanOrEqualTo(1);
                Thread.sleep(200); // paces the fault: the page publishes every 20 ms meanwhile
                a.destroyForcibly();
                assertThat(a.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)).as("A killed").isTrue();
                Process restarted = startServerA(redis, port, logs.resolve("a2.log"));
                processes.add(restarted);
                assertThat(awaitPort(restarted, logs.resolve("a2.log"))).isEqualTo(port);
                // 4: the messages A sends are lost for a while, then the connection is reset: the page
                // must get them again from the history.
                awaitProgress(page, 4, next);
                assertThat(proxy.loseReplies()).as("connections losing what A sends").isGreaterThanOrEqualTo(1);
                Thread.sleep(200); // paces the fault: messages A sends meanwhile are lost
                assertThat(proxy.cut()).as("connections the proxy reset").isGreaterThanOrEqualTo(1);
                // 5: the restarted server closes the page's connection too.
                awaitProgress(page, 5, next);
                assertThat(cutFromServer(http, port)).as("connections the restarted A closed").isEqualTo(1);
                page.evaluate("feed.stop = true");

                assertThat(publisher.join(STEP.multipliedBy(4))).as("the publisher finished").isTrue();
                assertThat(next.get()).isEqualTo(TOTAL);
                await(page, "the page to reach message " + (TOTAL - 1), () -> reached(page) >= TOTAL);

                await(page, "the page's publishes to be answered",
                        () -> page.evaluate("feed.acks.length + feed.failures.length === feed.sent").asBoolean());
                await(page, "the page to receive its own last message",
                        () -> page.evaluate("feed.mine.length > 0 && feed.mine.at(-1) === feed.sent - 1").asBoolean());

                JsonNode feed = page.evaluate("({received: feed.received, gaps: feed.gaps, errors: feed.errors, opens: feed.opens})");
                List<Integer> received = new ArrayList<>();
                feed.path("received").forEach(n -> received.add(n.asInt()));
                assertThat(received).as("the numbers the page received, in order")
                        .containsExactlyElementsOf(IntStream.range(0, TOTAL).boxed().toList());
                assertThat(feed.path("gaps").size()).as("gaps: %s", feed.path("gaps")).isZero();
                assertThat(feed.path("errors").size()).as("errors: %s", feed.path("errors")).isZero();
                assertThat(feed.path("opens").asInt()).as("connections the page opened").isGreaterThanOrEqualTo(6);

                // The page's own publishes, made through every cut, A's killing too: each stored once, in order.
                JsonNode mine = page.evaluate("({sent: feed.sent, mine: feed.mine, acks: feed.acks, failures: feed.failures})");
                int sent = mine.path("sent").asInt();
                assertThat(sent).as("publishes the page made").isGreaterThanOrEqualTo(100);
                assertThat(mine.path("failures").size()).as("failed publishes: %s", mine.path("failures")).isZero();
                List<Integer> acks = new ArrayList<>();
                mine.path("acks").forEach(n -> acks.add(n.asInt()));
                assertThat(acks).as("the offsets the page's publishes were acknowledged with")
                        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, sent).boxed().toList());
                List<Integer> own = new ArrayList<>();
                mine.path("mine").forEach(n -> own.add(n.asInt()));
                assertThat(own).as("the page's own messages, as the room sent them back")
                        .containsExactlyElementsOf(IntStream.range(0, sent).boxed().toList());
            }
        } finally {
            if (b != null) {
                b.stop();
            }
            processes.forEach(p -> Processes.stop(p.toHandle(), Duration.ofSeconds(5)));
            http.shutdownNow();
            try (var files = Files.walk(logs)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * Waits until the page is on its {@code cut}-th connection and has received {@code cut} sixths of the
     * stream, and checks that the stream goes on: the cut that follows falls among the messages.
     */
    private static void awaitProgress(DevTools.Page page, int cut, AtomicInteger published) {
        await(page, "the page's connection #" + cut + " with " + cut * CUT_EVERY + " messages",
                () -> page.evaluate("feed.opens").asInt() >= cut && reached(page) >= cut * CUT_EVERY);
        assertThat(published.get()).as("messages published before cut %s", cut).isLessThan(TOTAL);
    }

    /** Starts server A in a JVM of its own on this test's class path, its output to {@code log}. */
    private static Process startServerA(TestRedis redis, int port, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FeedServerMain.class.getName(),
                redis.uri(), Integer.toString(port))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** The port A prints once it listens. */
    private static int awaitPort(Process server, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.startsWith("PORT ")) {
                    return Integer.parseInt(line.substring(5).trim());
                }
            }
            if (server.waitFor(50, TimeUnit.MILLISECONDS)) {
                break; // it exited before listening
            }
        }
        throw new AssertionError("server A did not start:\n" + Processes.tail(Files.readString(log, StandardCharsets.UTF_8)));
    }

    /** Asks A to close every connection of its rooms endpoint; returns how many it closed. */
    private static int cutFromServer(HttpClient http, int port) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cut"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(STEP).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return Integer.parseInt(answer.body().trim());
    }

    /** Publishes the numbers 0 to TOTAL - 1 through {@code app}, each once it has its position, a little apart. */
    private static void publish(Echowall app, AtomicInteger next) {
        try {
            for (int n = next.get(); n < TOTAL; n = next.incrementAndGet()) {
                app.rooms().publish("feed", Message.text("{\"n\":" + n + "}"), "n" + n).get(STEP.toMillis(), TimeUnit.MILLISECONDS);
                Thread.sleep(2); // a stream, not a burst: the cuts fall among the messages
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
    private static int reached(DevTools.Page page) {
        return page.evaluate("feed.received.length === 0 ? 0 : feed.received[feed.received.length - 1] + 1").asInt();
    }
}
