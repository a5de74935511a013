package io.echowall.demo;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echowall.Echowall;
import io.echowall.Message;
import io.echowall.PresenceEvent;
import io.echowall.Rooms;
import io.echowall.WebSocket;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * The chat: a page at {@code /chat} and its WebSocket at {@code /chat/socket}. A user picks a nickname,
 * joins rooms (the page joins "lobby" first), talks in them and sees who is online in each.
 *
 * <h2>Messages</h2>
 * Every message is a JSON object, as text, with a {@code type}. The page sends requests:
 * <pre>
 * {"type":"nick","nick":"ada"}                  names the user; first, and once per connection
 * {"type":"join","room":"lobby"}                joins a room; answered by its members
 * {"type":"leave","room":"lobby"}               leaves it; answered by a leave
 * {"type":"say","room":"lobby","text":"hi"}     says something in a room joined; it comes back as a say
 * {"type":"members","room":"lobby"}             asks who is in a room; answered by its members
 * </pre>
 * The server sends answers and what happens in the rooms joined:
 * <pre>
 * {"type":"nick","nick":"ada"}                                        the nickname is set
 * {"type":"members","room":"lobby","users":["ada","bob"],"count":2}   who is online: the first 100 names
 *                                                                      in order, and how many in all
 * {"type":"leave","room":"lobby"}                                     this connection left the room
 * {"type":"say","room":"lobby","from":"ada","text":"hi","at":"2026-12-02T10:15:30Z"}
 *                                                                      said in the room, to every member
 * {"type":"presence","room":"lobby","user":"bob","online":true}       a user came or went
 * {"type":"error","about":"join","code":"bad-room","message":"…"}     a request was refused; nothing
 *                                                                      else changes, the connection stays
 * </pre>
 * Error codes: {@code bad-json}, {@code bad-request} (an unknown type, a missing field),
 * {@code no-nick}, {@code nick-set}, {@code bad-nick}, {@code bad-room}, {@code too-many-rooms},
 * {@code not-joined}, {@code bad-text}. Nicknames and room names are checked here, not only in the page.
 * The JSON is Jackson's, which echowall-core brings.
 *
 * <h2>Presence, and several servers</h2>
 * Presence is per user: two tabs of one nickname are one member, and a user leaves once its last
 * connection has been gone for the grace period, so a page reload is not a leave. Nothing here is kept
 * per server: the member list is the rooms' own ({@link Rooms#users(String, String, int)}), the
 * nickname is the connection's user, and messages go through the rooms, so the chat runs unchanged on
 * several servers sharing a broker. Every server hears every presence event and announces it, though,
 * so with several servers a page gets each one several times; and announcements take a path of their
 * own, so one may come after a members answer that already shows it. So {@code presence} is a state
 * ("bob is online"), not a count, and the page applies it as such.
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
    /** Rooms one connection may be in, so that one page cannot subscribe to everything. */
    private static final int MAX_ROOMS = 10;
    /** Names in a members answer; larger rooms say how many more there are. */
    private static final int MEMBERS_SHOWN = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Rooms rooms;

    private Chat(Rooms rooms) {
        this.rooms = rooms;
    }

    /** Adds the chat's page, its WebSocket endpoint and its presence announcements to {@code app}. */
    static void install(Echowall app) {
        var chat = new Chat(app.rooms());
        app.get("/chat", ctx -> ctx.render("chat.html"));
        app.ws("/chat/socket", chat::serve);
        app.rooms().onPresence(chat::announce);
    }

    /** Serves one page, on a virtual thread of its own: answers each request in order until the page goes. */
    private void serve(WebSocket ws) {
        String nick = null;
        for (var message : ws) {
            String about = null;
            try {
                JsonNode request = parse(message);
                about = field(request, "type", "a message");
                switch (about) {
                    case "nick" -> {
                        nick = name(ws, nick, field(request, "nick", about));
                        ws.send(json("nick").put("nick", nick).toString());
                    }
                    case "join", "leave", "say", "members" -> {
                        if (nick == null) {
                            throw new Refused("no-nick", "choose a nickname first");
                        }
                        inRoom(ws, nick, about, request);
                    }
                    default -> throw new Refused("bad-request",
                            "unknown type; the types are nick, join, leave, say and members");
                }
            } catch (Refused refused) {
                ObjectNode error = json("error");
                if (about != null) {
                    error.put("about", about);
                }
                ws.send(error.put("code", refused.code).put("message", refused.getMessage()).toString());
            }
        }
    }

    /** Serves a request of {@code type} about the room it names, from {@code nick}. */
    private void inRoom(WebSocket ws, String nick, String type, JsonNode request) {
        String room = roomName(field(request, "room", type));
        switch (type) {
            case "join" -> {
                if (!ws.rooms().contains(PREFIX + room) && ws.rooms().size() >= MAX_ROOMS) {
                    throw new Refused("too-many-rooms",
                            "a page may be in " + MAX_ROOMS + " rooms at most; leave one first");
                }
                ws.join(PREFIX + room);
                ws.send(members(room));
            }
            case "leave" -> {
                ws.leave(PREFIX + room);
                ws.send(json("leave").put("room", room).toString());
            }
            case "say" -> {
                if (!ws.rooms().contains(PREFIX + room)) {
                    throw new Refused("not-joined", "join " + room + " before saying something there");
                }
                // Published to every member, the speaker too: each page shows the room's one order.
                rooms.publish(PREFIX + room, json("say").put("room", room).put("from", nick)
                        .put("text", text(field(request, "text", type)))
                        .put("at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).toString());
            }
            default -> ws.send(members(room));
        }
    }

    /** Names the connection's user {@code requested}, once: presence counts users, so it comes before any room. */
    private static String name(WebSocket ws, String current, String requested) {
        if (current != null) {
            throw new Refused("nick-set", "the nickname is " + current + " already; reload the page to pick another");
        }
        if (!NICK.matcher(requested).matches()) {
            throw new Refused("bad-nick",
                    "a nickname is 1 to 24 letters, digits, '.', '_' or '-', and starts with a letter or a digit");
        }
        ws.user(requested);
        return requested;
    }

    private static String roomName(String name) {
        if (!ROOM.matcher(name).matches()) {
            throw new Refused("bad-room", "a room name is 1 to 32 lower-case letters a-z, digits, '_' or '-', "
                    + "and starts with a letter or a digit");
        }
        return name;
    }

    private static String text(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.codePointCount(0, trimmed.length()) > MAX_TEXT) {
            throw new Refused("bad-text", "a message is 1 to " + MAX_TEXT + " characters");
        }
        return trimmed;
    }

    /** Who is in {@code room}, from the rooms (across servers), never from a list kept here. */
    private String members(String room) {
        ObjectNode members = json("members").put("room", room);
        rooms.users(PREFIX + room, null, MEMBERS_SHOWN).forEach(members.putArray("users")::add);
        return members.put("count", rooms.users(PREFIX + room)).toString();
    }

    /** Tells a chat room that a user came or went; the live feed's rooms have presence too, and stay quiet. */
    private void announce(PresenceEvent event) {
        if (event.room().startsWith(PREFIX)) {
            String name = event.room().substring(PREFIX.length());
            rooms.publish(event.room(), json("presence").put("room", name).put("user", event.user())
                    .put("online", event.joined()).toString());
        }
    }

    private static JsonNode parse(Message message) {
        if (message.isText()) {
            try {
                JsonNode request = JSON.readTree(message.text());
                if (request != null && request.isObject()) {
                    return request;
                }
            } catch (JacksonException e) {
                // Answered below: what was wrong with it does not help the page.
            }
        }
        throw new Refused("bad-json", "a message is a JSON object, sent as text");
    }

    /** The string {@code name} of {@code request}, a request {@code about} something. */
    private static String field(JsonNode request, String name, String about) {
        JsonNode value = request.get(name);
        if (value == null || !value.isTextual()) {
            throw new Refused("bad-request", about + " needs a string " + name);
        }
        return value.textValue();
    }

    private static ObjectNode json(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** A request the chat refuses, with a code for the page and a message for its user. */
    private static final class Refused extends RuntimeException {
        final String code;

        Refused(String code, String message) {
            super(message, null, false, false); // control flow, not a failure: no stack trace
            this.code = code;
        }
    }
}
