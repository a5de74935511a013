package io.echowall.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static io.echowall.demo.ChatTabs.enter;
import static io.echowall.demo.ChatTabs.members;
import static io.echowall.demo.ChatTabs.notes;
import static io.echowall.demo.ChatTabs.said;
import static io.echowall.demo.ChatTabs.say;
import static io.echowall.demo.ChatTabs.text;
import static io.echowall.demo.ChatTabs.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat survives a restart of its server without losing a line: two Chromium tabs chat with the
 * demo, in a JVM of its own, whose rooms and their history are in a real Redis. The server is killed
 * (SIGKILL: nothing closed politely) or stopped (SIGTERM: a graceful stop), and started again on the
 * same port with the same Redis. Lines typed while it is down wait in each page, and go when the page
 * is back; lines typed after go at once. Both pages end with every line exactly once, in one order that
 * keeps each speaker's order, never having reloaded and never having been told of a gap.
 *
 * <p>Needs Debian's Chromium at {@code /usr/bin/chromium}: without it the tests are skipped, unless
 * {@code ECHOWALL_REQUIRE_BROWSER=1} makes that a failure.
 */
@Timeout(180)
class ChatRestartBrowserTest {

    /** The longest wait between two attempts of echowall.js (its retryCap), and time to connect. */
    private static final Duration RECONNECT = Duration.ofSeconds(30).plus(DevTools.STEP);

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void noLineIsLostOrRepeatedWhenTheServerIsKilledAndStartedAgain() throws Exception {
        chatAcrossARestart(true);
    }

    @Test
    void noLineIsLostOrRepeatedWhenTheServerStopsGracefullyAndStartsAgain() throws Exception {
        chatAcrossARestart(false);
    }

    private static void chatAcrossARestart(boolean kill) throws Exception {
        try (var redis = TestRedis.start();
             var server = DemoProcess.start(redis, 0);
             var ada = browser.newPage();
             var bob = browser.newPage()) {
            enter(ada, server.page("/chat"), "ada");
            enter(bob, server.page("/chat"), "bob");
            ada.await("bob in ada's member list", () -> members(ada).equals(List.of("ada (you)", "bob")));
            for (var page : List.of(ada, bob)) {
                page.evaluate("window.sameDocument = true"); // a reload would take it away
            }
            say(ada, "1 before");
            ada.await("ada's line back from the room", () -> said(ada).size() == 1);
            say(bob, "2 before");
            List<String> before = List.of("ada: 1 before", "bob: 2 before");
            ada.await("the lines before", () -> said(ada).equals(before));
            bob.await("the lines before", () -> said(bob).equals(before));

            if (kill) {
                server.kill();
            } else {
                server.terminate();
            }
            for (var page : List.of(ada, bob)) {
                page.await("the page to say it is reconnecting", () -> text(page, "#status").startsWith("reconnecting…"));
            }
            say(ada, "3 while down");
            say(bob, "4 while down");
            say(ada, "5 while down");
            ada.await("ada's lines waiting", () -> texts(ada, "#pending li").equals(List.of("3 while down", "5 while down")));
            bob.await("bob's line waiting", () -> texts(bob, "#pending li").equals(List.of("4 while down")));
            assertThat(said(ada)).as("nothing said while the server is down").isEqualTo(before);

            try (var restarted = DemoProcess.start(redis, server.port())) {
                lastLines(ada, bob);
            }
        }
    }

    /** What the test does once the server is back: the pages come back, lines are said, every page gets all. */
    private static void lastLines(DevTools.Page ada, DevTools.Page bob) {
        List<String> before = List.of("ada: 1 before", "bob: 2 before");
        for (var page : List.of(ada, bob)) {
            // The client retries with a backoff that grows while the server is down, up to 30 s between
            // attempts: the page may take that long to try again once the server is up.
            await("the page back, its waiting lines sent").atMost(RECONNECT).until(() ->
                    text(page, "#status").equals("connected") && texts(page, "#pending li").isEmpty());
        }
        say(bob, "6 after");
        say(ada, "7 after");

        List<String> all = List.of("ada: 1 before", "bob: 2 before", "ada: 3 while down", "bob: 4 while down",
                "ada: 5 while down", "bob: 6 after", "ada: 7 after");
        ada.await("every line on ada's page", () -> said(ada).size() >= all.size());
        bob.await("bob's page to show what ada's shows", () -> said(bob).equals(said(ada)));
        List<String> lines = said(ada);
        assertThat(lines).as("every line, once").hasSize(all.size()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(lines.subList(0, 2)).isEqualTo(before);
        assertThat(lines.subList(5, 7)).as("the lines said after the restart, last")
                .containsExactlyInAnyOrder("bob: 6 after", "ada: 7 after");
        assertThat(bySpeaker(lines, "ada: ")).as("ada's lines in the order she typed them")
                .containsExactly("ada: 1 before", "ada: 3 while down", "ada: 5 while down", "ada: 7 after");
        assertThat(bySpeaker(lines, "bob: ")).containsExactly("bob: 2 before", "bob: 4 while down", "bob: 6 after");
        for (var page : List.of(ada, bob)) {
            assertThat(notes(page)).as("no gap told").noneMatch(note -> note.contains("missed"));
            assertThat(page.evaluate("window.sameDocument === true").asBoolean()).as("never reloaded").isTrue();
            assertThat(text(page, "#say-error")).isEmpty();
        }
        assertThat(new HashSet<>(lines)).hasSize(lines.size());
    }

    private static List<String> bySpeaker(List<String> lines, String prefix) {
        List<String> theirs = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(prefix)) {
                theirs.add(line);
            }
        }
        return theirs;
    }
}
