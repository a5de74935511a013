package io.echowall.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echowall.Message;
import io.echowall.testing.TestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chat page, as the server sees it: a test client that sends the chat's requests, reads its JSON
 * and, like the real page, takes presence as a state. Presence is announced on a thread of its own, so
 * an arrival may come after the members answer that already lists the user, or never reach a room's
 * very first member (the room is new when it is announced); with several servers, each announces it.
 * So the page skips announcements that change nothing it knows, and those of rooms it has no members
 * answer for.
 */
final class ChatPage implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final TestClient client;
    /** Who is present in each room the page has a members answer for. */
    private final Map<String, Set<String>> present = new HashMap<>();

    ChatPage(TestClient client) {
        this.client = client;
    }

    /** A request of {@code type} with the given fields, names and values alternating, as the page writes it. */
    static String request(String type, String... fields) {
        ObjectNode request = JSON.createObjectNode().put("type", type);
        for (int i = 0; i < fields.length; i += 2) {
            request.put(fields[i], fields[i + 1]);
        }
        return request.toString();
    }

    private static JsonNode presence(String room, String user, boolean online) {
        return JSON.createObjectNode().put("type", "presence").put("room", room).put("user", user).put("online", online);
    }

    void send(String text) {
        client.send(text);
    }

    /** The next message that tells the page something new, waiting up to {@code timeout}; null if none came. */
    private JsonNode next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Message message;
            try {
                message = client.nextMessage(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (AssertionError nothingCame) {
                return null;
            }
            assertThat(message.isText()).as("the chat answers in text").isTrue();
            JsonNode json = tree(message.text());
            String room = json.path("room").asText();
            switch (json.path("type").asText()) {
                case "members" -> {
                    present.put(room, new HashSet<>());
                    json.path("users").forEach(user -> present.get(room).add(user.asText()));
                }
                case "leave" -> present.remove(room);
                case "presence" -> {
                    Set<String> users = present.get(room);
                    String user = json.path("user").asText();
                    if (users == null || !(json.path("online").asBoolean() ? users.add(user) : users.remove(user))) {
                        continue;
                    }
                }
                default -> {
                }
            }
            return json;
        }
    }

    JsonNode next() {
        JsonNode json = next(DemoServer.STEP);
        assertThat(json).as("a message within %s", DemoServer.STEP).isNotNull();
        return json;
    }

    /** Expects no message (but announcements that change nothing) for {@code quiet}. */
    void expectQuiet(Duration quiet) {
        assertThat(next(quiet)).as("a message within %s", quiet).isNull();
    }

    /** Expects the message {@code json}, written with single quotes for readability. */
    void expect(String json) {
        assertThat(next()).isEqualTo(tree(json.replace('\'', '"')));
    }

    void nick(String nick) {
        send(request("nick", "nick", nick));
        assertThat(next()).isEqualTo(JSON.createObjectNode().put("type", "nick").put("nick", nick));
    }

    /** Joins {@code room}, expecting it to list {@code members}. */
    void join(String room, String... members) {
        send(request("join", "room", room));
        expectMembers(room, members);
    }

    void expectMembers(String room, String... users) {
        ObjectNode members = JSON.createObjectNode().put("type", "members").put("room", room);
        List.of(users).forEach(members.putArray("users")::add);
        assertThat(next()).isEqualTo(members.put("count", users.length));
    }

    void expectPresence(String room, String user, boolean online) {
        assertThat(next()).isEqualTo(presence(room, user, online));
    }

    /** Expects {@code text} said by {@code from} in {@code room}, stamped with a time just now. */
    void expectSaid(String room, String from, String text) {
        JsonNode said = next();
        Instant at = Instant.parse(said.path("at").asText());
        assertThat(Duration.between(at, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
        ((ObjectNode) said).remove("at");
        assertThat(said).isEqualTo(JSON.createObjectNode().put("type", "say").put("room", room)
                .put("from", from).put("text", text));
    }

    /** Expects an error about a request of type {@code about} (null: of no type) with {@code code}, and returns it. */
    JsonNode expectError(String about, String code) {
        JsonNode error = next();
        List<String> names = new ArrayList<>();
        error.fieldNames().forEachRemaining(names::add);
        assertThat(names).as("the fields of %s", error).containsExactlyInAnyOrderElementsOf(about == null
                ? List.of("type", "code", "message") : List.of("type", "about", "code", "message"));
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("about").asText(null)).isEqualTo(about);
        assertThat(error.path("code").asText()).as("the code of %s", error).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        return error;
    }

    @Override
    public void close() {
        client.close();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
