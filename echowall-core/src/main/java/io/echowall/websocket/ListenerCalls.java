package io.echowall.websocket;

import io.echowall.CloseStatus;
import io.echowall.Message;
import io.echowall.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one session's listener: exactly one {@code onOpen}, then {@code onMessage} for each message,
 * then exactly one {@code onClose}, and nothing after it. A callback that throws closes the session
 * ({@link Closes#forFailure}); after that no more messages are handed to it. The caller makes sure
 * calls never overlap.
 */
final class ListenerCalls {

    private static final Logger log = LoggerFactory.getLogger(ListenerCalls.class);

    private final Session session;
    private final WebSocketListener listener;
    private boolean opened;
    private boolean closed;
    private boolean failed;

    ListenerCalls(Session session, WebSocketListener listener) {
        this.session = session;
        this.listener = listener;
    }

    boolean opened() {
        return opened;
    }

    boolean closed() {
        return closed;
    }

    void open() {
        opened = true;
        call(() -> listener.onOpen(session));
    }

    void message(Message message) {
        if (!failed && !closed) {
            call(() -> listener.onMessage(session, message));
        }
    }

    void close(CloseStatus status) {
        if (!closed) {
            closed = true;
            call(() -> listener.onClose(session, status));
        }
    }

    private interface Callback {
        void run() throws Exception;
    }

    private void call(Callback callback) {
        try {
            callback.run();
        } catch (Throwable t) {
            CloseStatus status = Closes.forFailure(t);
            if (status == null) {
                return; // a send after the peer left; onClose follows
            }
            failed = true;
            if (Closes.isBug(t)) {
                log.error("WebSocket listener for {} failed; closing the connection with 1011", session.path(), t);
                try {
                    listener.onError(session, t);
                } catch (Throwable again) {
                    log.error("onError of the WebSocket listener for {} failed too", session.path(), again);
                }
            }
            session.closeWith(status);
        }
    }
}
