package io.echowall.demo;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The echo wall page in a real browser: headless Chromium, driven through the DevTools protocol with
 * real input events, types and sends messages through the page's own form, and the test checks that
 * each comes back exactly once, in order, that no empty message ever arrives, and that the page shows
 * the server's 1001 when the server stops.
 *
 * <p>Needs Debian's Chromium at {@code /usr/bin/chromium}: without it the test is skipped, unless
 * {@code ECHOWALL_REQUIRE_BROWSER=1} makes that a failure.
 */
@Timeout(300)
class EchoWallBrowserTest {

    private static final String MULTIBYTE = "héllo wörld ✓ 你好 🎉";

    /**
     * An extra 'message' and 'close' listener on the page's {@code socket} (a top-level const of the
     * page script) that records every message event, counts the empty ones, and keeps the close event.
     */
    private static final String PROBE = """
            (() => {
              const probe = { events: 0, empty: 0, messages: [], close: null };
              socket.addEventListener('message', (event) => {
                probe.events++;
                const text = typeof event.data === 'string';
                const size = text ? event.data.length : event.data.byteLength;
                if (size === 0) probe.empty++;
                probe.messages.push(text ? { text: true, value: event.data }
                                         : { text: false, value: Array.from(new Uint8Array(event.data)) });
              });
              socket.addEventListener('close', (event) => {
                probe.close = { code: event.code, reason: event.reason, wasClean: event.wasClean };
              });
              window.echowallProbe = probe;
              return true;
            })()""";

    private static final String LOG = """
            Array.from(document.querySelectorAll('#log li')).reverse()
                 .map((li) => li.className + ': ' + li.textContent)""";

    @RegisterExtension
    static final Browser browser = new Browser();

    /** One message typed into the page, sent as text or, with the "binary" box checked, as bytes. */
    private record Typed(String text, boolean binary, boolean withEnter) {
    }

    @ParameterizedTest
    @EnumSource(value = EchoWall.Style.class, names = {"BLOCKING", "LISTENER"})
    void echoesEachTypedMessageOnceInOrderAndShowsTheServersClose(EchoWall.Style style) throws Exception {
        List<Typed> typed = List.of(
                new Typed("hello", false, true),
                new Typed(MULTIBYTE, false, false),
                new Typed(MULTIBYTE, true, true),
                new Typed("<b>markup stays text</b> & \"quotes\"", false, false),
                new Typed("last one ✓", false, true));

        try (var server = new DemoServer(style); var page = browser.newPage()) {
            page.navigate(server.page());
            page.await("the page's socket to open", () -> page.evaluate(
                    "socket.readyState === WebSocket.OPEN && !document.getElementById('message').disabled").asBoolean());
            assertThat(page.evaluate("document.getElementById('status').textContent").asText())
                    .isEqualTo("connected to " + server.echo());
            page.evaluate(PROBE);

            for (int i = 0; i < typed.size(); i++) {
                Typed t = typed.get(i);
                if (page.evaluate("document.getElementById('binary').checked").asBoolean() != t.binary()) {
                    page.click("#binary");
                }
                assertThat(page.evaluate("document.getElementById('binary').checked").asBoolean()).isEqualTo(t.binary());
                page.click("#message");
                page.insertText(t.text());
                assertThat(page.evaluate("document.getElementById('message').value").asText()).isEqualTo(t.text());
                if (t.withEnter()) {
                    page.pressEnter();
                } else {
                    page.click("#send");
                }
                int echoes = i + 1;
                page.await("echo #" + echoes, () -> page.evaluate("window.echowallProbe.events").asInt() >= echoes);
                assertThat(page.evaluate("document.getElementById('message').value").asText())
                        .as("the form cleared the input after sending").isEmpty();
            }

            // The server sends its close after everything it echoed, so once the page has the close, no
            // echo can still be on its way: the counts below are final.
            server.close();
            page.await("the page to see the close", () -> !page.evaluate("window.echowallProbe.close").isNull());

            JsonNode probe = page.evaluate("window.echowallProbe");
            assertThat(probe.path("empty").asInt()).as("empty message events").isZero();
            assertThat(probe.path("events").asInt()).as("message events").isEqualTo(typed.size());
            List<String> received = new ArrayList<>();
            for (JsonNode m : probe.path("messages")) {
                received.add(describe(m));
            }
            assertThat(received).containsExactlyElementsOf(typed.stream().map(EchoWallBrowserTest::describe).toList());
            assertThat(probe.path("close").path("code").asInt()).isEqualTo(1001);

            List<String> expectedLog = new ArrayList<>();
            for (Typed t : typed) {
                if (t.binary()) {
                    int size = t.text().getBytes(StandardCharsets.UTF_8).length;
                    expectedLog.add("sent: [binary] " + t.text());
                    expectedLog.add("received: [" + size + " bytes] " + t.text());
                } else {
                    expectedLog.add("sent: " + t.text());
                    expectedLog.add("received: " + t.text());
                }
            }
            expectedLog.add("event: closed with 1001");
            List<String> log = new ArrayList<>();
            page.evaluate(LOG).forEach(entry -> log.add(entry.asText()));
            assertThat(log).as("the page's log, oldest first").containsExactlyElementsOf(expectedLog);
            assertThat(page.evaluate("document.getElementById('status').textContent").asText()).startsWith("closed (1001");
            assertThat(page.evaluate("document.getElementById('message').disabled").asBoolean()).isTrue();
        }
    }

    private static String describe(Typed t) {
        return t.binary() ? "binary " + bytes(t.text().getBytes(StandardCharsets.UTF_8)) : "text " + t.text();
    }

    private static String describe(JsonNode message) {
        if (message.path("text").asBoolean()) {
            return "text " + message.path("value").asText();
        }
        byte[] b = new byte[message.path("value").size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) message.path("value").get(i).asInt();
        }
        return "binary " + bytes(b);
    }

    private static String bytes(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }
}
