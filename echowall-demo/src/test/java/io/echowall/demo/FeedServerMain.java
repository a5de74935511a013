package io.echowall.demo;

import io.echowall.CloseCode;
import io.echowall.CloseStatus;
import io.echowall.Echowall;
import io.echowall.RoomAccess;
import io.echowall.RoomOptions;
import io.echowall.WebSocket;
import io.echowall.redis.RedisBroker;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * An Echowall server in a JVM of its own, for the browser test that kills it: {@code FeedServerMain
 * redisUri port}. On a {@code RedisBroker}, it serves the page at {@code /}, the rooms endpoint at
 * {@code /rooms}, and {@code POST /cut}, which closes every open connection of the endpoint from the
 * server's side and answers how many. Rooms {@code feed} (the test's stream) and {@code mine} (the
 * page's own publishes) keep {@value #HISTORY} messages. It prints
 * {@code PORT n} once it listens, then runs until killed.
 */
public final class FeedServerMain {

    /** How many messages room {@code feed} keeps, on every server that shares the Redis. */
    static final int HISTORY = 10_000;

    /**
     * The page: the client from the server, quick retries (the test cuts often), and everything it is
     * told kept in {@code window.feed} for the test to read.
     */
    private static final String PAGE = """
            <!doctype html>
            <meta charset="utf-8">
            <title>echowall.js through a killed server</title>
            <script type="module">
              import { connect } from "/echowall/echowall.js";
              const feed = { received: [], gaps: [], opens: 0, errors: [] };
              const client = connect("/rooms", { retryBase: 100, retryCap: 1000 });
              client.on("state", (e) => { if (e.state === "open") feed.opens++; });
              client.on("error", (e) => feed.errors.push(e.code + ": " + e.message));
              feed.subscription = client.subscribe("feed", (data) => feed.received.push(data.n),
                  { onGap: (e) => feed.gaps.push(e.reason) });
              // The page's own publishes, every 20 ms whatever the connection is doing, until told to stop.
              Object.assign(feed, { mine: [], acks: [], failures: [], sent: 0, stop: false });
              client.subscribe("mine", (data) => feed.mine.push(data.p), { onGap: (e) => feed.gaps.push("mine: " + e.reason) });
              feed.publishMine = async () => {
                for (let p = 0; !feed.stop; p++) {
                  feed.sent = p + 1;
                  client.publish("mine", { p }).then((position) => feed.acks.push(position.offset),
                      (e) => feed.failures.push(e.code + ": " + e.message));
                  await new Promise((resolve) => setTimeout(resolve, 20));
                }
              };
              feed.client = client;
              window.feed = feed;
            </script>
            """;

    private FeedServerMain() {
    }

    /** Room {@code feed}'s options, the same on every server. */
    static RoomOptions feedOptions() {
        return RoomOptions.defaults().withHistory(HISTORY, Duration.ofMinutes(5));
    }

    public static void main(String[] args) throws InterruptedException {
        Set<WebSocket> connections = ConcurrentHashMap.newKeySet();
        Echowall app = Echowall.create(c -> c.withHost("127.0.0.1").withBroker(RedisBroker.connect(args[0])));
        app.room("feed", feedOptions());
        app.room("mine", feedOptions());
        app.roomsEndpoint("/rooms", new RoomAccess() {
            @Override
            public String user(WebSocket ws) {
                connections.add(ws);
                return null;
            }
        });
        app.get("/", ctx -> ctx.html(PAGE));
        app.post("/cut", ctx -> {
            int cut = 0;
            for (WebSocket ws : connections) {
                if (ws.state() == WebSocket.State.OPEN) {
                    ws.close(new CloseStatus(CloseCode.SERVICE_RESTART.code(), "cut by the test"));
                    cut++;
                }
            }
            ctx.text(Integer.toString(cut));
        });
        app.start(Integer.parseInt(args[1]));
        System.out.println("PORT " + app.port());
        System.out.flush();
        new CountDownLatch(1).await(); // until the test kills this JVM
    }
}
