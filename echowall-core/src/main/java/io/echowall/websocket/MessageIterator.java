package io.echowall.websocket;

import io.echowall.ConnectionClosed;
import io.echowall.Message;
import io.echowall.WebSocket;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** Iterates the messages a blocking handler receives, until the connection closes. */
final class MessageIterator implements Iterator<Message> {

    private final WebSocket ws;
    private Message next;

    MessageIterator(WebSocket ws) {
        this.ws = ws;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = ws.receive();
            } catch (ConnectionClosed e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Message next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the connection closed");
        }
        Message message = next;
        next = null;
        return message;
    }
}
