package io.echowall.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live page in a real browser: headless Chromium opens it once, and the values the server pushes
 * change on it again and again, with no reload and nothing asked; closing it stops the server's feed.
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
