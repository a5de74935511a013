package io.echowall.demo;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static io.echowall.demo.ChatPage.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat's protocol through the test kit's real clients: nicknames and room names are checked by
 * the server, every refused request gets a JSON error and leaves the connection usable, what is said
 * reaches the room's members (the speaker too) and no one else, and the member list and presence are
 * per user, with a leave only after the grace period.
 */
@Timeout(60)
class ChatProtocolTest {

    private static final Duration GRACE = Duration.ofMillis(300);

    private DemoServer server;

    @BeforeEach
    void start() {
        server = new DemoServer(EchoWall.Style.BLOCKING, c -> c.withPresenceGrace(GRACE));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ---------------------------------------------------------------- nicknames and room names

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "ada lovelace", "<b>ada</b>", "ada:", "-ada", ".ada", "😀", "ada\u202e",
        "abcdefghijklmnopqrstuvwxy"})
    void aBadNicknameIsRefusedAndAnotherMayBeTried(String nick) {
        try (ChatPage page = connect()) {
            page.send(request("nick", "nick", nick));
            JsonNode error = page.expectError("nick", "bad-nick");
            assertThat(error.path("message").asText()).contains("1 to 24 letters");
            page.nick("ada");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada", "José", "小明", "a.b-c_d", "007", "abcdefghijklmnopqrstuvwx"})
    void aGoodNicknameIsTaken(String nick) {
        try (ChatPage page = connect()) {
            page.nick(nick);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Lobby", "a b", "-x", "_x", "chat:lobby", "../lobby", "lobby\n",
        "abcdefghijklmnopqrstuvwxyz0123456"})
    void aBadRoomNameIsRefusedInEveryRequest(String room) {
        try (ChatPage page = connect()) {
            page.nick("ada");
            for (String type : List.of("join", "leave", "say", "members")) {
                page.send(request(type, "room", room, "text", "hi"));
                JsonNode error = page.expectError(type, "bad-room");
                assertThat(error.path("message").asText()).contains("1 to 32 lower-case letters");
            }
            page.join("lobby", "ada");
        }
    }

    @Test
    void aNicknameComesFirstAndOnlyOnce() {
        try (ChatPage page = connect()) {
            for (String type : List.of("join", "leave", "say", "members")) {
                page.send(request(type, "room", "lobby", "text", "hi"));
                page.expectError(type, "no-nick");
            }
            page.nick("ada");
            page.send(request("nick", "nick", "bob"));
            assertThat(page.expectError("nick", "nick-set").path("message").asText()).contains("ada");
        }
    }

    @Test
    void whatIsNoRequestGetsAnErrorAndTheConnectionStays() {
        try (ChatPage page = connect()) {
            page.client.send(new byte[] {'{', '}'});
            page.expectError(null, "bad-json");
            for (String notAnObject : List.of("nope", "[1]", "null", "\"nick\"", "{\"type\":")) {
                page.send(notAnObject);
                page.expectError(null, "bad-json");
            }
            page.send("{}");
            page.expectError(null, "bad-request");
            page.send("{\"type\":7}");
            page.expectError(null, "bad-request");
            page.send(request("frob"));
            page.expectError("frob", "bad-request");
            page.send(request("nick"));
            page.expectError("nick", "bad-request");
            page.nick("ada");
            page.send(request("join"));
            page.expectError("join", "bad-request");
            page.join("lobby", "ada");
            page.send(request("say", "room", "lobby"));
            page.expectError("say", "bad-request");
        }
    }

    // ---------------------------------------------------------------- saying

    @Test
    void whatIsSaidReachesEveryMemberOfTheRoomTheSpeakerTooAndNoOneElse() {
        try (ChatPage ada = connect(); ChatPage bob = connect(); ChatPage cy = connect()) {
            ada.nick("ada");
            bob.nick("bob");
            cy.nick("cy");
            ada.join("lobby", "ada");
            bob.join("lobby", "ada", "bob");
            ada.expectPresence("lobby", "bob", true);
            cy.join("dev", "cy");

            ada.send(request("say", "room", "lobby", "text", "  hello <b>bob</b> & all ✓  "));
            ada.expectSaid("lobby", "ada", "hello <b>bob</b> & all ✓"); // trimmed; markup is the page's to escape
            bob.expectSaid("lobby", "ada", "hello <b>bob</b> & all ✓");
            bob.send(request("say", "room", "lobby", "text", "hi ada"));
            bob.expectSaid("lobby", "bob", "hi ada");
            ada.expectSaid("lobby", "bob", "hi ada");
            cy.send(request("say", "room", "dev", "text", "anyone?"));
            cy.expectSaid("dev", "cy", "anyone?");
            ada.expectQuiet(Duration.ZERO);
            bob.expectQuiet(Duration.ZERO);
            cy.expectQuiet(Duration.ZERO); // a lobby message to cy would have come before dev's own

            bob.send(request("say", "room", "dev", "text", "let me in"));
            bob.expectError("say", "not-joined");
        }
    }

    @Test
    void aMessageIsOneTo500Characters() {
        try (ChatPage ada = connect()) {
            ada.nick("ada");
            ada.join("lobby", "ada");
            for (String text : List.of("", "   ", "x".repeat(501), "😀".repeat(501))) {
                ada.send(request("say", "room", "lobby", "text", text));
                assertThat(ada.expectError("say", "bad-text").path("message").asText()).contains("1 to 500");
            }
            for (String text : List.of("x", "x".repeat(500), "😀".repeat(500))) {
                ada.send(request("say", "room", "lobby", "text", text));
                ada.expectSaid("lobby", "ada", text);
            }
        }
    }

    // ---------------------------------------------------------------- members and presence

    @Test
    void membersAndPresenceArePerUserAndALeaveWaitsForTheGracePeriod() {
        try (ChatPage ada = connect(); ChatPage bob = connect()) {
            ada.nick("ada");
            bob.nick("bob");
            ada.join("lobby", "ada");
            bob.join("lobby", "ada", "bob");
            ada.expectPresence("lobby", "bob", true);

            ChatPage adasOtherTab = connect();
            adasOtherTab.nick("ada");
            adasOtherTab.join("lobby", "ada", "bob");
            bob.send(request("members", "room", "lobby"));
            bob.expectMembers("lobby", "ada", "bob");

            adasOtherTab.close();
            bob.expectQuiet(GRACE.multipliedBy(3)); // no presence either way: ada is still here, in her first tab
            ada.expectQuiet(Duration.ZERO);

            ada.close();
            bob.expectPresence("lobby", "ada", false);
            bob.send(request("members", "room", "lobby"));
            bob.expectMembers("lobby", "bob");
        }
    }

    @Test
    void leavingIsAnsweredAndTheRoomsMessagesStop() {
        try (ChatPage ada = connect(); ChatPage bob = connect()) {
            ada.nick("ada");
            bob.nick("bob");
            ada.join("lobby", "ada");
            bob.join("lobby", "ada", "bob");
            ada.expectPresence("lobby", "bob", true);

            ada.send(request("leave", "room", "lobby"));
            ada.expect("{'type':'leave','room':'lobby'}");
            bob.expectPresence("lobby", "ada", false);
            bob.send(request("say", "room", "lobby", "text", "bye"));
            bob.expectSaid("lobby", "bob", "bye");
            ada.send(request("say", "room", "lobby", "text", "wait"));
            ada.expectError("say", "not-joined"); // and no "bye" before it: ada is out of the lobby
        }
    }

    @Test
    void aPageIsInTenRoomsAtMost() {
        try (ChatPage ada = connect()) {
            ada.nick("ada");
            for (int i = 0; i < 10; i++) {
                ada.join("room" + i, "ada");
            }
            ada.send(request("join", "room", "room10"));
            ada.expectError("join", "too-many-rooms");
            ada.join("room3", "ada"); // joined already: answered all the same
            ada.send(request("leave", "room", "room0"));
            ada.expect("{'type':'leave','room':'room0'}");
            ada.join("room10", "ada");
        }
    }

    // ---------------------------------------------------------------- helpers

    private ChatPage connect() {
        return new ChatPage(server.server.connect("/chat/socket"));
    }
}
