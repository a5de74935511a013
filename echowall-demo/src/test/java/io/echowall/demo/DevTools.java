package io.echowall.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * A small Chrome DevTools Protocol client over the browser's WebSocket, on the JDK's
 * {@code java.net.http} client and Jackson: enough to open a page and drive it with real input events.
 * Commands wait for their answer, up to {@link #STEP}.
 */
final class DevTools implements AutoCloseable {

    /** How long any single command may take. */
    static final Duration STEP = Duration.ofSeconds(20);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private WebSocket socket;

    private DevTools() {
    }

    /** Connects to the browser endpoint Chromium printed ({@code ws://127.0.0.1:PORT/devtools/browser/…}). */
    static DevTools connect(URI browser) {
        DevTools devTools = new DevTools();
        devTools.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(STEP)
                .buildAsync(browser, devTools.new Listener())
                .orTimeout(STEP.toMillis(), TimeUnit.MILLISECONDS)
                .join();
        return devTools;
    }

    /** Opens a new tab at {@code about:blank} and attaches to it. */
    Page newPage() {
        JsonNode target = send(null, "Target.createTarget", Map.of("url", "about:blank"));
        String targetId = target.path("targetId").asText();
        JsonNode attached = send(null, "Target.attachToTarget", Map.of("targetId", targetId, "flatten", true));
        return new Page(targetId, attached.path("sessionId").asText());
    }

    /** Sends a command, to the browser ({@code session} null) or to an attached page, and returns its result. */
    JsonNode send(String session, String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
        command.set("params", JSON.valueToTree(params));
        if (session != null) {
            command.put("sessionId", session);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            socket.sendText(command.toString(), true).get(STEP.toMillis(), TimeUnit.MILLISECONDS);
            JsonNode response = answer.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
            if (response.has("error")) {
                fail("DevTools " + method + " failed: " + response.get("error"));
            }
            return response.path("result");
        } catch (TimeoutException e) {
            throw new AssertionError("DevTools " + method + " got no answer within " + STEP, e);
        } catch (ExecutionException e) {
            throw new AssertionError("DevTools " + method + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during DevTools " + method, e);
        } finally {
            pending.remove(id);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }

    /** One tab, driven through its flattened session. */
    final class Page implements AutoCloseable {
        private final String targetId;
        private final String session;

        private Page(String targetId, String session) {
            this.targetId = targetId;
            this.session = session;
        }

        /** Loads {@code url} and waits until the document has loaded. */
        void navigate(URI url) {
            JsonNode result = send(session, "Page.navigate", Map.of("url", url.toString()));
            if (result.has("errorText")) {
                fail("cannot load " + url + ": " + result.get("errorText"));
            }
            await("the page to load", () -> "complete".equals(evaluate("document.readyState").asText()));
        }

        /**
         * Evaluates {@code expression} in the page's global scope (where the page script's top-level
         * {@code const}s live) and returns its value as JSON; a thrown exception fails the test.
         */
        JsonNode evaluate(String expression) {
            JsonNode result = send(session, "Runtime.evaluate",
                    Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
            if (result.has("exceptionDetails")) {
                fail("the page threw evaluating " + expression + ": " + result.get("exceptionDetails"));
            }
            return result.path("result").path("value");
        }

        /** Types {@code text} into the focused element, as an input method would. */
        void insertText(String text) {
            send(session, "Input.insertText", Map.of("text", text));
        }

        /** Presses and releases Enter on the focused element. */
        void pressEnter() {
            Map<String, Object> key = Map.of("key", "Enter", "code", "Enter",
                    "windowsVirtualKeyCode", 13, "nativeVirtualKeyCode", 13);
            var down = new HashMap<String, Object>(key);
            down.put("type", "keyDown");
            down.put("text", "\r");
            send(session, "Input.dispatchKeyEvent", down);
            var up = new HashMap<String, Object>(key);
            up.put("type", "keyUp");
            send(session, "Input.dispatchKeyEvent", up);
        }

        /**
         * Clicks the middle of the element {@code selector} selects, with real mouse events, after
         * scrolling it into view as a user would (a headless window is small).
         */
        void click(String selector) {
            JsonNode box = evaluate("(() => { const e = document.querySelector(" + JSON.valueToTree(selector)
                    + "); e.scrollIntoView({block: 'center', inline: 'center'}); const r = e.getBoundingClientRect();"
                    + " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
            double x = box.path("x").asDouble();
            double y = box.path("y").asDouble();
            for (String type : new String[] {"mousePressed", "mouseReleased"}) {
                send(session, "Input.dispatchMouseEvent",
                        Map.of("type", type, "x", x, "y", y, "button", "left", "clickCount", 1));
            }
        }

        /** Closes the tab. */
        @Override
        public void close() {
            send(null, "Target.closeTarget", Map.of("targetId", targetId));
        }

        /** Waits, up to {@link #STEP}, for {@code condition} to hold. */
        void await(String what, BooleanSupplier condition) {
            Awaitility.await(what).atMost(STEP).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
        }

        /** As {@link #await(String, BooleanSupplier)}; on a timeout, says what {@code state} (a script) finds on the page. */
        void await(String what, BooleanSupplier condition, String state) {
            try {
                await(what, condition);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("waited in vain for " + what + "; the page has " + evaluate(state), e);
            }
        }
    }

    /** Collects whole text messages and completes the command each answers. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(text.toString());
                    JsonNode id = message.get("id");
                    if (id != null) {
                        CompletableFuture<JsonNode> answer = pending.get(id.asInt());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    }
                    // Events (messages without an id) are not needed here.
                } catch (Exception e) {
                    pending.values().forEach(p -> p.completeExceptionally(e));
                } finally {
                    text.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            RuntimeException e = new IllegalStateException("DevTools connection closed: " + statusCode + " " + reason);
            pending.values().forEach(p -> p.completeExceptionally(e));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(p -> p.completeExceptionally(error));
        }
    }
}
