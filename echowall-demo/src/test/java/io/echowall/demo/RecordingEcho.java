package io.echowall.demo;

import io.echowall.CloseStatus;
import io.echowall.ConnectionClosed;
import io.echowall.Echowall;
import io.echowall.Message;
import io.echowall.WebSocket;
import io.echowall.WebSocketListener;
import io.echowall.WebSocketOptions;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * An echo endpoint written in one of the demo's styles that also records, for each connection, the
 * close status the server saw: what the demo's own endpoint does not expose, and what a test needs to
 * check that a client's close code and reason arrived.
 */
final class RecordingEcho {

    private final BlockingQueue<CloseStatus> closes = new LinkedBlockingQueue<>();

    private RecordingEcho() {
    }

    /** Adds an echo endpoint at {@code path} of {@code app}, written in {@code style}. */
    static RecordingEcho register(Echowall app, String path, EchoWall.Style style) {
        RecordingEcho echo = new RecordingEcho();
        switch (style) {
            case BLOCKING -> app.ws(path, ws -> {
                try {
                    while (true) {
                        ws.send(ws.receive());
                    }
                } catch (ConnectionClosed e) {
                    echo.closes.add(e.status());
                }
            });
            case LISTENER -> app.ws(path, echo.listener());
            case EVENT_LOOP -> app.ws(path, WebSocketOptions.defaults().withEventLoop(true), echo.listener());
        }
        return echo;
    }

    private WebSocketListener listener() {
        return new WebSocketListener() {
            @Override
            public void onMessage(WebSocket ws, Message message) {
                ws.send(message);
            }

            @Override
            public void onClose(WebSocket ws, CloseStatus status) {
                closes.add(status);
            }
        };
    }

    /** The close status of the next connection that closed, waiting up to {@code timeout}. */
    CloseStatus nextClose(Duration timeout) throws InterruptedException {
        CloseStatus status = closes.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (status == null) {
            fail("the server saw no connection close within " + timeout);
        }
        return status;
    }
}
