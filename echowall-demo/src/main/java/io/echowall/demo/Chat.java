package io.echowall.demo;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echowall.Context;
import io.echowall.Echowall;
import io.echowall.PublishRefused;
import io.echowall.RoomAccess;
import io.echowall.RoomOptions;
import io.echowall.Rooms;
import io.echowall.WebSocket;
import io.echowall.WebSocketOptions;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The chat: a page at {@code /chat} that talks, with echowall.js, to the {@code echowall.v1} endpoint
 * {@code /chat/socket}. A user picks a nickname, joins rooms (the page joins "lobby" first), talks in
 * them and sees who is online in each. When the connection drops, echowall.js connects again by itself;
 * lines typed meanwhile wait in its queue, and every page gets every line once and in order, from the
 * room's history.
 *
 * <h2>What the server adds</h2>
 * The protocol does the rest: a chat room {@code lobby} is the room {@code chat:lobby}, its lines are
 * the room's messages, arrivals and departures its presence events. What the app decides is in
 * {@link Chatters}:
 * <ul>
 * <li>The nickname is the connection's user, from the upgrade's parameter
 *     ({@code /chat/socket?nick=ada}), checked here, not only in the page.</li>
 * <li>A page publishes {@code {"text": "hi"}}; every member gets the line the server made of it,
 *     {@code {"from":"ada","text":"hi","at":"2026-12-02T10:15:30Z"}}, so no one can speak as someone
 *     else, and a line is 1 to 500 characters.</li>
 * <li>A page subscribes to chat rooms only (the live page's rooms are not for chatters), ten at most,
 *     and publishes only in the rooms it subscribes to.</li>
 * <li>A page sends at most 20 requests (64 KiB) a second; past that the server reads it more slowly.</li>
 * </ul>
 * Who is in a room when the page joins is asked over HTTP, {@code GET /chat/members?room=lobby}
 * ({@code {"room":"lobby","users":["ada","bob"],"count":2}}: the first 100 names in order, and how many
 * in all), once echowall.js says the subscription is live ({@code onSubscribed}); the presence events
 * keep the list up to date from then on. That is again after every reconnect, since the joins and
 * leaves of the time away are not replayed.
 *
 * <h2>Several servers</h2>
 * Nothing here is kept per server: the nickname is the connection's user, the member list the rooms'
 * own ({@link Rooms#users(String, String, int)}), the lines the rooms' messages. With a shared broker
 * ({@code RedisBroker}) the chat runs unchanged on several servers, and its history, in Redis, outlives
 * any one of them: a page whose server restarts resumes where it was.
 */
public final class Chat {

    /**
     * What the app's room of a chat room is called: the live feed has rooms too, and a chatter must not
     * be able to join those.
     */
    private static final String PREFIX = "chat:";
    /** The app's room of the lobby, the room every page joins first; the live feed counts its users. */
    static final String LOBBY = PREFIX + "lobby";

    /** Short enough to show in a list, long enough for real names, in any script; no spaces or symbols. */
    private static final Pattern NICK = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._-]{0,23}");
    private static final Pattern ROOM = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final int MAX_TEXT = 500;
    /** Rooms one page may be in, so that one page cannot subscribe to everything. */
    private static final int MAX_ROOMS = 10;
    /**
     * What one page may send a second, with a burst of as much: a line reaches every member of its room,
     * so an unbounded sender would multiply its own rate by the room's size. Typing never comes near it;
     * a page past it, such as one sending the lines queued while it was away, is read more slowly and
     * loses nothing.
     */
    private static final int MAX_REQUESTS_PER_SECOND = 20;
    /** Bytes a second, likewise: 20 requests of the longest line (500 characters of up to 4 bytes) fit. */
    private static final int MAX_BYTES_PER_SECOND = 64 << 10;
    /** Names in a members answer; larger rooms say how many more there are. */
    private static final int MEMBERS_SHOWN = 100;
    /**
     * Lines each room keeps to replay to a page that was away: a server's restart, a laptop's sleep of
     * an hour, without a gap. In memory by default, in Redis with {@code RedisBroker}.
     */
    private static final RoomOptions ROOMS = RoomOptions.defaults().withHistory(1000, Duration.ofHours(1));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Rooms rooms;

    private Chat(Rooms rooms) {
        this.rooms = rooms;
    }

    /** Adds the chat's page, its member lists, its rooms and its {@code echowall.v1} endpoint to {@code app}. */
    static void install(Echowall app) {
        var chat = new Chat(app.rooms());
        app.get("/chat", ctx -> ctx.render("chat.html"));
        app.get("/chat/members", chat::members);
        app.room(PREFIX + "*", ROOMS);
        app.roomsEndpoint("/chat/socket", new Chatters(), WebSocketOptions.defaults().withRateLimit(MAX_REQUESTS_PER_SECOND,
                MAX_BYTES_PER_SECOND));
    }

    /** Who is in the room {@code ?room=}, from the rooms (across servers), never from a list kept here. */
    private void members(Context ctx) {
        String room = ctx.queryParam("room");
        if (room == null || !ROOM.matcher(room).matches()) {
            ctx.status(400).text("?room= names a chat room: 1 to 32 of a-z, 0-9, '_' and '-'");
            return;
        }
        ctx.json(Map.of("room", room, "users", rooms.users(PREFIX + room, null, MEMBERS_SHOWN),
                "count", rooms.users(PREFIX + room)));
    }

    /** What a page may do on {@code /chat/socket}, and the lines the server makes of what it sends. */
    private static final class Chatters implements RoomAccess {

        @Override
        public String user(WebSocket ws) {
            String nick = ws.queryParam("nick");
            return nick != null && NICK.matcher(nick).matches() ? nick : null; // else unnamed, and refused below
        }

        @Override
        public boolean maySubscribe(WebSocket ws, String room) {
            return named(ws) && room.startsWith(PREFIX) && ROOM.matcher(room.substring(PREFIX.length())).matches()
                    && ws.rooms().size() < MAX_ROOMS;
        }

        @Override
        public boolean mayPublish(WebSocket ws, String room) {
            return named(ws) && ws.rooms().contains(room);
        }

        @Override
        public String publishing(WebSocket ws, String room, String data) {
            String text = text(data).strip();
            if (text.isEmpty() || text.codePointCount(0, text.length()) > MAX_TEXT) {
                throw new PublishRefused("a line is 1 to " + MAX_TEXT + " characters");
            }
            return JSON.createObjectNode().put("from", ws.user()).put("text", text)
                    .put("at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).toString();
        }

        /** Whether the page has a nickname: an unnamed connection's user, {@code id@server}, is no nickname. */
        private static boolean named(WebSocket ws) {
            return NICK.matcher(ws.user()).matches();
        }

        /** The text of a line the page sent, {@code {"text": "…"}}. */
        private static String text(String data) {
            try {
                JsonNode text = JSON.readTree(data).get("text");
                if (text != null && text.isTextual()) {
                    return text.textValue();
                }
            } catch (JacksonException e) {
                // The protocol hands over JSON only; answered below all the same.
            }
            throw new PublishRefused("a line is {\"text\": \"…\"}");
        }
    }
}
