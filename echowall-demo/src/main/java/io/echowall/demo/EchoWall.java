package io.echowall.demo;

import io.echowall.Echowall;
import io.echowall.EchowallConfig;
import io.echowall.Message;
import io.echowall.WebSocket;
import io.echowall.WebSocketListener;
import io.echowall.WebSocketOptions;

import java.util.function.UnaryOperator;

/**
 * The echo wall: a page at {@code /} whose JavaScript talks to a WebSocket at {@code /foobar/} that
 * sends every message straight back, byte for byte, with its type. The app also serves the demos the
 * page links to: the {@link Chat} at {@code /chat} and the {@link LiveFeed} at {@code /live}.
 */
public final class EchoWall {

    /** How the echo endpoint is written; all three behave the same on the wire. */
    public enum Style {
        /** A blocking handler on a virtual thread: {@code for (var m : ws) ws.send(m);}. */
        BLOCKING,
        /** A listener whose callbacks run on a virtual thread. */
        LISTENER,
        /** A listener whose callbacks run on the event loop. */
        EVENT_LOOP
    }

    private EchoWall() {
    }

    /**
     * The echo wall app, its echo in the given style, with the chat and the live page, on a configuration
     * changed by {@code configure}.
     */
    public static Echowall create(Style style, UnaryOperator<EchowallConfig> configure) {
        var app = Echowall.create(configure);
        app.get("/", ctx -> ctx.render("index.html"));
        switch (style) {
            case BLOCKING -> app.ws("/foobar", ws -> {
                for (var message : ws) {
                    ws.send(message);
                }
            });
            case LISTENER -> app.ws("/foobar", new Echo());
            case EVENT_LOOP -> app.ws("/foobar", WebSocketOptions.defaults().withEventLoop(true), new Echo());
        }
        Chat.install(app);
        LiveFeed.install(app);
        return app;
    }

    /** Echoes in event style. */
    private static final class Echo implements WebSocketListener {
        @Override
        public void onMessage(WebSocket ws, Message message) {
            ws.send(message);
        }
    }
}
