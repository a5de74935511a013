package io.echowall.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.echowall.demo.ChatPage.members;
import static io.echowall.demo.ChatPage.names;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat's server side through the test kit's real clients, speaking {@code echowall.v1} as the page
 * does: the nickname is the connection's user and is checked by the server, a page subscribes to chat
 * rooms only and ten at most, every line reaches the room's members (the speaker too) and no one else,
 * stamped by the server with who said it, and the member list and presence are per user, with a leave
 * only after the grace period.
 */
@Timeout(60)
class ChatProtocolTest {

    private static final Duration GRACE = Duration.ofMillis(300);
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoServer server;

    @BeforeEach
    void start() {
        server = new DemoServer(EchoWall.Style.BLOCKING, c -> c.withPresenceGrace(GRACE));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ---------------------------------------------------------------- nicknames and rooms

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "ada lovelace", "<b>ada</b>", "ada:", "-ada", ".ada", "😀", "ada\u202e",
        "abcdefghijklmnopqrstuvwxy"})
    void aBadNicknameLeavesThePageUnnamedAndItMayDoNothing(String nick) {
        try (ChatPage page = connect(nick)) {
            assertThat(page.user).isNotEqualTo(nick);
            page.send("subscribe", "room", "chat:lobby");
            page.expectError("forbidden", null);
            assertThat(names(members(server.server, "lobby"))).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada", "José", "小明", "a.b-c_d", "007", "abcdefghijklmnopqrstuvwx"})
    void aGoodNicknameIsTheUser(String nick) {
        try (ChatPage page = connect(nick)) {
            assertThat(page.user).isEqualTo(nick);
            page.join("lobby");
            assertThat(names(members(server.server, "lobby"))).containsExactly(nick);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lobby", "live", "chat:", "chat:Lobby", "chat:a b", "chat:-x", "chat:_x", "chat:chat:lobby",
        "chat:../lobby", "chat:lobby\n", "chat:abcdefghijklmnopqrstuvwxyz0123456"})
    void aPageSubscribesToChatRoomsOnly(String room) {
        try (ChatPage page = connect("ada")) {
            page.send("subscribe", "room", room);
            assertThat(page.expectError("forbidden", null).path("room").asText()).isEqualTo(room);
            page.join("lobby");
        }
    }

    @Test
    void aPageSendingFasterThanTheRateLimitIsSlowedAndLosesNoLine() {
        try (ChatPage page = connect("ada")) {
            page.join("lobby");
            int lines = 60;
            long started = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < lines; i++) {
                ids.add(page.say("lobby", "line " + i));
            }
            // Each line comes back as a message and an ack; a line's ack may come after the next line.
            List<String> texts = new ArrayList<>();
            List<String> acked = new ArrayList<>();
            for (int i = 0; i < 2 * lines; i++) {
                JsonNode next = page.next();
                if (next.path("type").asText().equals("ack")) {
                    acked.add(next.path("id").asText());
                } else {
                    assertThat(next.path("type").asText()).as("%s", next).isEqualTo("message");
                    assertThat(next.path("data").path("from").asText()).isEqualTo("ada");
                    texts.add(next.path("data").path("text").asText());
                }
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < lines; i++) {
                expected.add("line " + i);
            }
            assertThat(texts).isEqualTo(expected);
            assertThat(acked).isEqualTo(ids);
            double seconds = (System.nanoTime() - started) / 1e9;
            // The subscribe and a burst of 19 lines at once, then 20 a second: the last 41 take at least
            // 2 s. A lower bound only, which a slow machine cannot break.
            assertThat(seconds).isGreaterThanOrEqualTo(1.9);
        }
    }

    @Test
    void theMembersRouteTakesChatRoomNamesOnly() {
        for (String room : List.of("", "Lobby", "chat:lobby", "a%20b")) {
            assertThat(server.server.get("/chat/members?room=" + room).statusCode()).as(room).isEqualTo(400);
        }
        assertThat(server.server.get("/chat/members").statusCode()).isEqualTo(400);
    }

    @Test
    void aPageIsInTenRoomsAtMost() {
        try (ChatPage ada = connect("ada")) {
            for (int i = 0; i < 10; i++) {
                ada.join("room" + i);
            }
            ada.send("subscribe", "room", "chat:room10");
            ada.expectError("forbidden", null);
            ada.leave("room0");
            ada.join("room10");
        }
    }

    // ---------------------------------------------------------------- lines

    @Test
    void aLineReachesEveryMemberOfTheRoomTheSpeakerTooAndNoOneElse() {
        try (ChatPage ada = connect("ada"); ChatPage bob = connect("bob"); ChatPage cy = connect("cy")) {
            ada.join("lobby");
            bob.join("lobby");
            ada.expectPresence("lobby", "bob", true);
            cy.join("dev");

            String id = ada.say("lobby", "  hello <b>bob</b> & all ✓  ");
            ada.expectOwn("lobby", "hello <b>bob</b> & all ✓", id); // trimmed; markup is the page's to escape
            bob.expectSaid("lobby", "ada", "hello <b>bob</b> & all ✓");
            bob.expectOwn("lobby", "hi ada", bob.say("lobby", "hi ada"));
            ada.expectSaid("lobby", "bob", "hi ada");
            cy.expectOwn("dev", "anyone?", cy.say("dev", "anyone?"));
            ada.expectQuiet(Duration.ZERO);
            bob.expectQuiet(Duration.ZERO);
            cy.expectQuiet(Duration.ZERO); // a lobby line to cy would have come before dev's own

            bob.expectError("forbidden", bob.say("dev", "let me in")); // not a member of dev
        }
    }

    @Test
    void theServerSaysWhoSaidALineAndWhenWhateverThePageSent() throws Exception {
        try (ChatPage ada = connect("ada"); ChatPage bob = connect("bob")) {
            ada.join("lobby");
            bob.join("lobby");
            ada.expectPresence("lobby", "bob", true);
            String id = bob.publish("lobby", JSON.readTree("{\"text\":\"I am ada\",\"from\":\"ada\",\"at\":\"1970-01-01T00:00:00Z\",\"x\":1}"));
            bob.expectOwn("lobby", "I am ada", id);
            ada.expectSaid("lobby", "bob", "I am ada");
        }
    }

    @Test
    void aLineIsOneTo500Characters() throws Exception {
        try (ChatPage ada = connect("ada")) {
            ada.join("lobby");
            for (String text : List.of("", "   ", "x".repeat(501), "😀".repeat(501))) {
                assertThat(ada.expectError("forbidden", ada.say("lobby", text)).path("message").asText())
                        .isEqualTo("a line is 1 to 500 characters");
            }
            for (String data : List.of("\"hi\"", "{\"text\":5}", "{}", "[\"hi\"]", "null")) {
                assertThat(ada.expectError("forbidden", ada.publish("lobby", JSON.readTree(data))).path("message").asText())
                        .as(data).isEqualTo("a line is {\"text\": \"…\"}");
            }
            for (String text : List.of("x", "x".repeat(500), "😀".repeat(500))) {
                ada.expectOwn("lobby", text, ada.say("lobby", text));
            }
        }
    }

    // ---------------------------------------------------------------- members and presence

    @Test
    void membersAndPresenceArePerUserAndALeaveWaitsForTheGracePeriod() {
        try (ChatPage ada = connect("ada"); ChatPage bob = connect("bob")) {
            ada.join("lobby");
            bob.join("lobby");
            ada.expectPresence("lobby", "bob", true);
            JsonNode lobby = members(server.server, "lobby");
            assertThat(names(lobby)).containsExactly("ada", "bob");
            assertThat(lobby.path("count").asInt()).isEqualTo(2);

            ChatPage adasOtherTab = connect("ada");
            adasOtherTab.join("lobby");
            assertThat(names(members(server.server, "lobby"))).containsExactly("ada", "bob");
            adasOtherTab.close();
            bob.expectQuiet(GRACE.multipliedBy(3)); // no presence either way: ada is still here, in her first tab
            ada.expectQuiet(Duration.ZERO);

            ada.close();
            bob.expectPresence("lobby", "ada", false);
            assertThat(names(members(server.server, "lobby"))).containsExactly("bob");
        }
    }

    @Test
    void leavingARoomStopsItsLinesAndItsLinesFromThePage() {
        try (ChatPage ada = connect("ada"); ChatPage bob = connect("bob")) {
            ada.join("lobby");
            bob.join("lobby");
            ada.expectPresence("lobby", "bob", true);

            ada.leave("lobby");
            bob.expectPresence("lobby", "ada", false);
            bob.expectOwn("lobby", "bye", bob.say("lobby", "bye"));
            ada.expectError("forbidden", ada.say("lobby", "wait")); // and no "bye" before it: ada is out of the lobby
        }
    }

    // ---------------------------------------------------------------- helpers

    private ChatPage connect(String nick) {
        return new ChatPage(server.server, nick);
    }
}
