package io.echowall.demo;

import io.echowall.Echowall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live page in a real browser: headless Chromium opens it once, and the values the server pushes
 * change on it again and again, with no reload and nothing asked; closing it stops the server's feed.
 * When the server stops and starts again on the same port, the page says it is reconnecting, then
 * that it missed the updates of the gap, and the values change again, still with no reload.
 *
 * <p>Needs Debian's Chromium at {@code /usr/bin/chromium}: without it the test is skipped, unless
 * {@code ECHOWALL_REQUIRE_BROWSER=1} makes that a failure.
 */
@Timeout(120)
class LiveBrowserTest {

    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void theLivePageUpdatesEverySecondWithoutReloading() {
        try (var server = new DemoServer(EchoWall.Style.BLOCKING)) {
            var page = browser.newPage();
            page.navigate(server.page("/live"));
            page.evaluate("window.sameDocument = true"); // a reload would take it away
            page.await("a first update", () -> updates(page) >= 1);
            assertThat(text(page, "#status")).startsWith("connected");
            long firstTick = tick(page);
            String firstTime = text(page, "#time");

            page.await("three more updates", () -> updates(page) >= 4);
            assertThat(tick(page)).as("updates sent").isGreaterThanOrEqualTo(firstTick + 3);
            assertThat(text(page, "#time")).as("server time").isNotEqualTo(firstTime);
            assertThat(text(page, "#pages")).as("live pages open").isEqualTo("1");
            assertThat(text(page, "#chatters")).as("users in the chat lobby").isEqualTo("0");
            assertThat(page.evaluate("window.sameDocument === true").asBoolean()).as("the same document, never reloaded").isTrue();

            page.close();
            await("the feed to stop with its only page").atMost(DevTools.STEP).until(() -> !LiveFeedTest.feedRunning());
        }
    }

    @Test
    void theLivePageGoesOnAfterTheServerRestartsWithoutReloading() {
        Echowall restarted = null;
        try (var server = new DemoServer(EchoWall.Style.BLOCKING); var page = browser.newPage()) {
            int port = server.server.port();
            page.navigate(server.page("/live"));
            page.evaluate("window.sameDocument = true");
            page.await("a first update", () -> updates(page) >= 1);
            String firstServer = text(page, "#servers tr td:nth-child(1)");
            String epoch = page.evaluate("live.subscription.position.epoch").asText();

            server.close(); // closes the page's connection (1001) and stops listening
            page.await("the page to say it is reconnecting", () -> text(page, "#status").startsWith("reconnecting…"));
            int before = updates(page);

            restarted = EchoWall.create(EchoWall.Style.BLOCKING, c -> c.withHost("127.0.0.1"));
            restarted.start(port); // the same port, as a restart would: a new server with a new, empty history
            page.await("an update from the restarted server", () -> updates(page) > before
                    && page.evaluate("document.querySelectorAll('#servers tr').length").asInt() == 2);
            page.await("the page to say it missed the updates of the gap", () -> text(page, "#status").contains("missed (epoch)"));
            assertThat(page.evaluate("live.subscription.position.epoch").asText()).as("the restarted server's history").isNotEqualTo(epoch);
            assertThat(text(page, "#servers tr:nth-child(2) td:nth-child(1)")).as("the restarted server").isNotEqualTo(firstServer);
            assertThat(text(page, "#pages")).as("live pages open on the restarted server").isEqualTo("1");
            int after = updates(page);
            page.await("updates to go on", () -> updates(page) >= after + 2);
            assertThat(page.evaluate("window.sameDocument === true").asBoolean()).as("the same document, never reloaded").isTrue();
        } finally {
            if (restarted != null) {
                restarted.stop();
            }
        }
    }

    private static int updates(DevTools.Page page) {
        return Integer.parseInt(text(page, "#updates"));
    }

    /** The number of updates the server sent, as its row shows it. */
    private static long tick(DevTools.Page page) {
        return Long.parseLong(text(page, "#servers tr td:nth-child(2)"));
    }

    private static String text(DevTools.Page page, String selector) {
        return page.evaluate("document.querySelector('" + selector + "').textContent").asText();
    }
}
