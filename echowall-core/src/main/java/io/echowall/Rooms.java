package io.echowall;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The rooms of an app, from anywhere: an HTTP handler, a scheduled task, a listener. A room is a name;
 * WebSocket connections {@linkplain WebSocket#join(String) join} it, and what is published to it
 * reaches every member on every server of the app, in the order each publisher published.
 *
 * <pre>{@code
 * app.rooms().publish("news", "{\"headline\":\"…\"}");
 * long online = app.rooms().users("lobby");
 * app.rooms().onPresence(e -> log.info("{} {} {}", e.user(), e.joined() ? "joined" : "left", e.room()));
 * }</pre>
 */
public interface Rooms {

    /** Sends {@code message} to every member of {@code room}, on every server. */
    void publish(String room, Message message);

    /** Sends a text message to every member of {@code room}, on every server. */
    default void publish(String room, String text) {
        publish(room, Message.text(text));
    }

    /**
     * Sends {@code message} to every member of {@code room}, on every server, at most once per
     * {@code idempotencyKey} within {@link Broker#DEDUPE_WINDOW}: a request retried with the same key
     * (an HTTP client's {@code Idempotency-Key}) publishes nothing more.
     *
     * @return completes with the message's position in the room, the first one's for a repeated key
     */
    CompletableFuture<Position> publish(String room, Message message, String idempotencyKey);

    /** How many users are present in {@code room}, across servers. */
    long users(String room);

    /** Up to {@code limit} users present in {@code room}, in order, after {@code after} (null: from the first). */
    List<String> users(String room, String after, int limit);

    /**
     * Calls {@code listener} for every join and leave in any room, in order, on a virtual thread of its
     * own: it may block, but it delays the events after it.
     */
    void onPresence(Consumer<PresenceEvent> listener);
}
