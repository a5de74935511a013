package io.echowall.demo;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echowall.Echowall;
import io.echowall.Message;
import io.echowall.RoomAccess;
import io.echowall.RoomOptions;
import io.echowall.Rooms;
import io.echowall.WebSocket;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live page: {@code /live}, whose values the server pushes once a second, where the pages of old
 * polled the server with AJAX. The page subscribes with echowall.js to the room {@code live} over the
 * {@code echowall.v1} endpoint {@code /live/socket}, and a task publishes to the room; the page only
 * listens. When the connection drops (the server restarts, a proxy closes it), echowall.js connects
 * again by itself and the page goes on, showing meanwhile that it is reconnecting.
 *
 * <p>An update, published as text and received by the page as the {@code data} of a room message, is one
 * JSON object:
 * <pre>
 * {"server":"5f0c2a9e","time":"2026-12-02T10:15:30.123Z","tick":42,"pages":3,"chatters":2,"heapMiB":38}
 * </pre>
 * {@code server} names the server that sent it (one app may run on several); {@code tick} counts its
 * updates; {@code pages} is the number of live pages open, and {@code chatters} the number of users in
 * the chat's lobby, both across servers (a page that closed counts until the presence grace period is
 * over); {@code heapMiB} is the heap that server uses.
 *
 * <p>{@code pages} counts the room's users: a page's connection is not named, so each is a user of its
 * own, named by its connection id, which is unique on one server only: with several servers in separate
 * processes two pages may share an id and count once.
 *
 * <p>The task runs while pages are open on this server: the first page to subscribe starts it, and a run
 * that finds all of them closed stops it. {@link Echowall#stop()} closes the app's rooms, and the task
 * stops at its next run, so its thread never outlives the app.
 */
public final class LiveFeed {

    /** The app's room of the live pages. */
    static final String ROOM = "live";
    /** The name of the feed's thread, while it runs. */
    static final String THREAD = "echowall-live-feed";

    private static final long PERIOD_MILLIS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Rooms rooms;
    /** This server among the servers of the app: its updates replace its own older ones, not theirs. */
    private final String server = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong ticks = new AtomicLong();
    private final Set<WebSocket> pages = new HashSet<>(); // guarded by this: this server's, until a run finds them closed
    private ScheduledExecutorService ticker; // guarded by this; runs while pages are open and the app runs

    private LiveFeed(Rooms rooms) {
        this.rooms = rooms;
    }

    /** Adds the live page, its WebSocket endpoint and its room to {@code app}. */
    static void install(Echowall app) {
        var feed = new LiveFeed(app.rooms());
        app.get("/live", ctx -> ctx.render("live.html"));
        // A dashboard only needs the latest value: a page that falls behind (a slow network, a tab in
        // the background) gets the newest update of each server instead of a backlog of stale ones,
        // and is neither closed nor allowed to hold an ever-growing queue.
        app.room(ROOM, RoomOptions.defaults().withLatestPerKey(LiveFeed::serverOf));
        app.roomsEndpoint("/live/socket", feed.new Pages());
    }

    /**
     * Who may do what on {@code /live/socket}: subscribe to the room {@code live}, and nothing else, as
     * the page only listens. A page that subscribes is also counted here, to start the task: the
     * endpoint has no open callback, and a subscription is the arrival that matters.
     */
    private final class Pages implements RoomAccess {
        @Override
        public boolean maySubscribe(WebSocket ws, String room) {
            if (!room.equals(ROOM)) {
                return false;
            }
            subscribed(ws);
            return true;
        }

        @Override
        public boolean mayPublish(WebSocket ws, String room) {
            return false;
        }
    }

    private synchronized void subscribed(WebSocket page) {
        pages.add(page);
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(THREAD).daemon().factory());
            // The first run a period from now, not at once: the page is asked about before it joins the
            // room, and an update at once would count it out.
            ticker.scheduleAtFixedRate(this::publish, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Forgets the pages that closed; stops the task when none is left, and says whether any is. */
    private synchronized boolean anyPageOpen() {
        pages.removeIf(page -> page.state() != WebSocket.State.OPEN);
        if (pages.isEmpty()) {
            stop();
            return false;
        }
        return true;
    }

    private synchronized void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
    }

    private void publish() {
        if (!anyPageOpen()) {
            return;
        }
        Runtime runtime = Runtime.getRuntime();
        try {
            String update = JSON.createObjectNode()
                    .put("server", server)
                    .put("time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())
                    .put("tick", ticks.incrementAndGet())
                    .put("pages", rooms.users(ROOM))
                    .put("chatters", rooms.users(Chat.LOBBY))
                    .put("heapMiB", (runtime.totalMemory() - runtime.freeMemory()) >> 20)
                    .toString();
            rooms.publish(ROOM, update);
        } catch (IllegalStateException stopped) {
            // The app stopped and closed its rooms; it closes its pages too, but the feed need not wait.
            stop();
        }
    }

    /** The key under which a slow page keeps only the latest update: the server that sent it. */
    private static String serverOf(Message update) {
        try {
            return JSON.readTree(update.text()).path("server").asText(null);
        } catch (JacksonException e) {
            return null; // not an update: never replaced
        }
    }
}
