package io.echowall.demo;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echowall.CloseStatus;
import io.echowall.Echowall;
import io.echowall.Message;
import io.echowall.RoomOptions;
import io.echowall.Rooms;
import io.echowall.WebSocket;
import io.echowall.WebSocketListener;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live page: {@code /live}, whose values the server pushes once a second over the WebSocket at
 * {@code /live/socket}, where the pages of old polled the server with AJAX. Every open page is a member
 * of one room, and a task publishes to it; the page only listens.
 *
 * <p>An update is one JSON object, as text:
 * <pre>
 * {"server":"5f0c2a9e","time":"2026-12-02T10:15:30.123Z","tick":42,"pages":3,"chatters":2,"heapMiB":38}
 * </pre>
 * {@code server} names the server that sent it (one app may run on several); {@code tick} counts its
 * updates; {@code pages} is the number of live pages open, and {@code chatters} the number of users in
 * the chat's lobby, both across servers (a page that closed counts until the presence grace period is
 * over); {@code heapMiB} is the heap that server uses.
 *
 * <p>The task runs while pages are open on this server: the first page starts it, the last one to close
 * stops it. {@link Echowall#stop()} closes the app's rooms, and the task stops at its next run, so its
 * thread never outlives the app, whether or not the pages' closes come through first.
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
    private int pages; // guarded by this
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
        app.ws("/live/socket", feed.new Page());
    }

    /**
     * One live page: it joins the room and keeps the feed running while it is open. A listener, not a
     * loop, as the page never sends anything: there is only its arrival and its departure to react to.
     */
    private final class Page implements WebSocketListener {
        @Override
        public void onOpen(WebSocket ws) {
            opened(); // first: onClose comes whatever happens next, and must always have an open to match
            // Connection ids are unique on one server only, and pages are counted across servers.
            ws.user(UUID.randomUUID().toString());
            ws.join(ROOM);
        }

        @Override
        public void onClose(WebSocket ws, CloseStatus status) {
            closed();
        }
    }

    private synchronized void opened() {
        if (pages++ == 0) {
            ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(THREAD).daemon().factory());
            ticker.scheduleAtFixedRate(this::publish, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void closed() {
        if (--pages == 0) {
            stop();
        }
    }

    private synchronized void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
    }

    private void publish() {
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
