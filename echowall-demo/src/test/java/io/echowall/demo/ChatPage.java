package io.echowall.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echowall.Message;
import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chat page, as the server sees it: a test client of the chat's {@code echowall.v1} endpoint that
 * subscribes, publishes and reads the protocol's JSON, as echowall.js would. A room {@code lobby} is
 * the protocol's room {@code chat:lobby}. Presence events about the page's own user (its own arrival,
 * which may come before or after the answer to its subscribe) are passed over.
 */
final class ChatPage implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V1 = "echowall.v1";

    final TestClient client;
    /** The user the server named the connection, from its welcome. */
    final String user;
    private int published;

    /** Opens the chat's endpoint on {@code server} with the nickname {@code nick}, and reads the welcome. */
    ChatPage(TestServer server, String nick) {
        client = server.connect("/chat/socket?nick=" + URLEncoder.encode(nick, StandardCharsets.UTF_8), Map.of(), V1);
        JsonNode welcome = tree(client.nextMessage().text());
        assertThat(welcome.path("type").asText()).isEqualTo("welcome");
        user = welcome.path("user").asText();
    }

    /** Who is in {@code room}, as the page asks when it joins: the names, and how many in all. */
    static JsonNode members(TestServer server, String room) {
        HttpResponse<String> answer = server.get("/chat/members?room=" + room);
        assertThat(answer.statusCode()).as("%s", answer.body()).isEqualTo(200);
        return tree(answer.body());
    }

    /** Subscribes to the chat room {@code room}, expecting it to be taken. */
    void join(String room) {
        send("subscribe", "room", "chat:" + room);
        assertThat(next().path("type").asText()).isEqualTo("subscribed");
    }

    /** Unsubscribes from {@code room}, expecting it to be answered. */
    void leave(String room) {
        send("unsubscribe", "room", "chat:" + room);
        assertThat(next()).isEqualTo(JSON.createObjectNode().put("type", "unsubscribed").put("room", "chat:" + room));
    }

    /** Publishes {@code data} to {@code room} as the page's next publish; returns its id. */
    String publish(String room, JsonNode data) {
        String id = "page:" + ++published;
        ObjectNode request = JSON.createObjectNode().put("type", "publish").put("room", "chat:" + room).put("id", id);
        request.set("data", data);
        client.send(request.toString());
        return id;
    }

    /** Says {@code text} in {@code room}, as the page does: {@code {"text": …}}; returns the publish's id. */
    String say(String room, String text) {
        return publish(room, JSON.createObjectNode().put("text", text));
    }

    /** Sends a request of {@code type} with the given fields, names and values alternating. */
    void send(String type, String... fields) {
        ObjectNode request = JSON.createObjectNode().put("type", type);
        for (int i = 0; i < fields.length; i += 2) {
            request.put(fields[i], fields[i + 1]);
        }
        client.send(request.toString());
    }

    /** The next message but the page's own presence, waiting up to {@code timeout}; null if none came. */
    private JsonNode next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Message message;
            try {
                message = client.nextMessage(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (AssertionError nothingCame) {
                return null;
            }
            JsonNode json = tree(message.text());
            if (!(json.path("type").asText().equals("presence") && json.path("user").asText().equals(user))) {
                return json;
            }
        }
    }

    JsonNode next() {
        JsonNode json = next(DemoServer.STEP);
        assertThat(json).as("a message within %s", DemoServer.STEP).isNotNull();
        return json;
    }

    /** Expects no message (but the page's own presence) for {@code quiet}. */
    void expectQuiet(Duration quiet) {
        assertThat(next(quiet)).as("a message within %s", quiet).isNull();
    }

    void expectPresence(String room, String user, boolean joined) {
        assertThat(next()).isEqualTo(JSON.createObjectNode().put("type", "presence").put("room", "chat:" + room)
                .put("user", user).put("joined", joined));
    }

    /** Expects the line {@code text} said by {@code from} in {@code room}, stamped with a time just now. */
    void expectSaid(String room, String from, String text) {
        expectLine(next(), room, from, text);
    }

    /**
     * Expects {@code text}, said by this page, back from {@code room}, and the ack of its publish {@code id}:
     * the two in either order.
     */
    void expectOwn(String room, String text, String id) {
        JsonNode first = next();
        JsonNode second = next();
        boolean ackFirst = first.path("type").asText().equals("ack");
        JsonNode ack = ackFirst ? first : second;
        assertThat(ack.path("type").asText()).as("%s", ack).isEqualTo("ack");
        assertThat(ack.path("id").asText()).isEqualTo(id);
        assertThat(ack.path("room").asText()).isEqualTo("chat:" + room);
        expectLine(ackFirst ? second : first, room, user, text);
    }

    private static void expectLine(JsonNode said, String room, String from, String text) {
        assertThat(said.path("type").asText()).as("%s", said).isEqualTo("message");
        assertThat(said.path("room").asText()).isEqualTo("chat:" + room);
        JsonNode line = said.path("data");
        String at = line.path("at").asText();
        assertThat(Duration.between(Instant.parse(at), Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
        assertThat(line).isEqualTo(JSON.createObjectNode().put("from", from).put("text", text).put("at", at));
    }

    /** Expects a refusal with {@code code} about the publish {@code id} (null: about no publish), and returns it. */
    JsonNode expectError(String code, String id) {
        JsonNode error = next();
        assertThat(error.path("type").asText()).as("%s", error).isEqualTo("error");
        assertThat(error.path("code").asText()).as("the code of %s", error).isEqualTo(code);
        assertThat(error.path("id").asText(null)).isEqualTo(id);
        assertThat(error.path("message").asText()).isNotBlank();
        return error;
    }

    /** The names of a members answer. */
    static List<String> names(JsonNode members) {
        List<String> names = new ArrayList<>();
        members.path("users").forEach(user -> names.add(user.asText()));
        return names;
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
