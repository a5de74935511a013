package io.echowall.demo;

import io.echowall.Echowall;
import io.echowall.Message;
import io.echowall.WebSocket;
import io.echowall.WebSocketListener;
import io.echowall.WebSocketOptions;

/**
 * The fan-out endpoint the benchmark measures ({@code echowall bench fanout}; the contract is in
 * {@code echowall-bench/peers/README.md}): at {@value #PATH} a connection joins the room
 * {@value #ROOM} and is then sent the text {@code ready}; a connection whose query has
 * {@code role=publisher} joins nothing and publishes every message it sends to that room, to every
 * member, as it came.
 *
 * <p>The room keeps {@link io.echowall.RoomOptions#defaults()}: a member that falls half a send buffer
 * behind is closed (1008), which a benchmark run counts as an error.
 */
public final class FanoutRoom {

    /** Where subscribers and publishers connect. */
    public static final String PATH = "/fanout";
    /** The one room every subscriber joins. */
    static final String ROOM = "fanout";

    private FanoutRoom() {
    }

    /** Adds the endpoint to {@code app}, written in {@code style}. */
    public static void install(Echowall app, EchoWall.Style style) {
        switch (style) {
            case BLOCKING -> app.ws(PATH, ws -> {
                if (isPublisher(ws)) {
                    for (var message : ws) {
                        ws.publish(ROOM, message);
                    }
                } else {
                    subscribe(ws);
                    for (var ignored : ws) {
                        // A subscriber sends nothing: the loop only holds the connection until the peer closes it.
                    }
                }
            });
            case LISTENER -> app.ws(PATH, new Member());
            case EVENT_LOOP -> app.ws(PATH, WebSocketOptions.defaults().withEventLoop(true), new Member());
        }
    }

    private static boolean isPublisher(WebSocket ws) {
        return "publisher".equals(ws.queryParam("role"));
    }

    /** Joins first, so that what is published after "ready" reaches the subscriber. */
    private static void subscribe(WebSocket ws) {
        ws.join(ROOM);
        ws.send("ready");
    }

    /** The endpoint in event style. */
    private static final class Member implements WebSocketListener {
        @Override
        public void onOpen(WebSocket ws) {
            if (!isPublisher(ws)) {
                subscribe(ws);
            }
        }

        @Override
        public void onMessage(WebSocket ws, Message message) {
            if (isPublisher(ws)) {
                ws.publish(ROOM, message);
            }
        }
    }
}
