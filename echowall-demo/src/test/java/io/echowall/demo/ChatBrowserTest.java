package io.echowall.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static io.echowall.demo.ChatTabs.enter;
import static io.echowall.demo.ChatTabs.members;
import static io.echowall.demo.ChatTabs.notes;
import static io.echowall.demo.ChatTabs.said;
import static io.echowall.demo.ChatTabs.say;
import static io.echowall.demo.ChatTabs.text;
import static io.echowall.demo.ChatTabs.texts;
import static io.echowall.demo.ChatTabs.title;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat page in a real browser: two tabs of headless Chromium, typing with real input events, chat
 * on one server. What one says appears in the other, as text even when it looks like markup; both see
 * both in the member list; a room of one's own stays one's own; a reload is not a leave; closing a tab
 * is. The page shows the server's errors where they belong.
 *
 * <p>Needs Debian's Chromium at {@code /usr/bin/chromium}: without it the tests are skipped, unless
 * {@code ECHOWALL_REQUIRE_BROWSER=1} makes that a failure.
 */
@Timeout(120)
class ChatBrowserTest {

    /** Long enough to tell a leave after the grace period from one at once, short enough to wait for. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final String MARKUP = "hello bob <img src=x onerror=\"document.title='owned'\"> & all";

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void twoPagesChatAndSeeEachOtherComeAndGo() {
        try (var server = new DemoServer(EchoWall.Style.BLOCKING, c -> c.withPresenceGrace(GRACE));
             var ada = browser.newPage()) {
            var bob = browser.newPage(); // closed by the test itself
            enter(ada, server.page("/chat"), "ada");
            ada.await("ada alone in the lobby", () -> members(ada).equals(List.of("ada (you)")));
            enter(bob, server.page("/chat"), "bob");
            ada.await("bob in ada's member list", () -> members(ada).equals(List.of("ada (you)", "bob")));
            bob.await("ada in bob's member list", () -> members(bob).equals(List.of("ada", "bob (you)")));
            assertThat(notes(ada)).containsExactly("bob joined");

            say(ada, MARKUP);
            bob.await("ada's message on bob's page", () -> said(bob).equals(List.of("ada: " + MARKUP)));
            assertThat(bob.evaluate("document.querySelectorAll('#messages img').length").asInt()).as("elements made of a message").isZero();
            assertThat(bob.evaluate("document.title").asText()).isEqualTo("Chat · Echowall");
            say(bob, "hi ada ✓ 你好");
            List<String> lobby = List.of("ada: " + MARKUP, "bob: hi ada ✓ 你好");
            ada.await("bob's answer on ada's page", () -> said(ada).equals(lobby));

            // A room of ada's own: bob is not in it and hears nothing of it; the lobby is one click away.
            ada.click("#room");
            ada.insertText("dev");
            ada.pressEnter();
            ada.await("ada in dev", () -> title(ada).equals("# dev") && members(ada).equals(List.of("ada (you)")));
            assertThat(said(ada)).isEmpty();
            say(ada, "only in dev");
            ada.await("ada's message in dev", () -> said(ada).equals(List.of("ada: only in dev")));
            ada.click("#rooms li:first-child button");
            ada.await("ada back in the lobby", () -> title(ada).equals("# lobby"));
            assertThat(said(ada)).isEqualTo(lobby);
            assertThat(said(bob)).isEqualTo(lobby);

            // A reload comes back within the grace period: ada sees neither a leave nor a second arrival.
            bob.evaluate("window.beforeReload = true");
            bob.navigate(server.page("/chat"));
            bob.await("bob back in the lobby after the reload", () -> bob.evaluate(
                    "window.beforeReload === undefined && document.getElementById('room-title').textContent === '# lobby'").asBoolean());
            bob.await("ada in bob's member list after the reload", () -> members(bob).equals(List.of("ada", "bob (you)")));
            await("ada's page to stay as it was").during(GRACE.multipliedBy(2)).atMost(GRACE.multipliedBy(2).plus(DevTools.STEP))
                    .until(() -> notes(ada).equals(List.of("bob joined")) && members(ada).equals(List.of("ada (you)", "bob")));

            // Closing the tab is a leave, once the grace period is over.
            bob.close();
            ada.await("bob gone from ada's member list", () -> members(ada).equals(List.of("ada (you)")));
            assertThat(notes(ada)).containsExactly("bob joined", "bob left");
            assertThat(ada.evaluate("document.getElementById('online').textContent").asText()).isEqualTo("1");
        }
    }

    @Test
    void thePageShowsTheServersErrorsWhereTheyBelong() {
        try (var server = new DemoServer(EchoWall.Style.BLOCKING); var page = browser.newPage()) {
            page.navigate(server.page("/chat"));
            page.await("the nickname field", () -> !page.evaluate("document.getElementById('nick').disabled").asBoolean());
            page.click("#nick");
            page.insertText("ada lovelace");
            page.pressEnter();
            page.await("the server's answer", () -> !text(page, "#nick-error").isEmpty());
            assertThat(text(page, "#nick-error")).contains("a nickname is 1 to 24 letters");
            assertThat(page.evaluate("document.getElementById('chat').hidden").asBoolean()).isTrue();

            page.evaluate("document.getElementById('nick').value = ''"); // what select-all and delete would do
            page.insertText("ada");
            page.pressEnter();
            page.await("ada in the lobby", () -> title(page).equals("# lobby"));
            assertThat(text(page, "#nick-error")).isEmpty();

            page.click("#room");
            page.insertText("Not A Room");
            page.pressEnter();
            page.await("the server's answer", () -> !text(page, "#join-error").isEmpty());
            assertThat(text(page, "#join-error")).contains("a room name is 1 to 32 lower-case letters");
            assertThat(title(page)).isEqualTo("# lobby");
            assertThat(texts(page, "#rooms li")).containsExactly("# lobby");
        }
    }
}
