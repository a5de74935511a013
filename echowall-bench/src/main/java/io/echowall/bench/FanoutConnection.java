package io.echowall.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;

import java.nio.charset.StandardCharsets;

/**
 * A connection of a fan-out run: it opens the protocol's session (at once for plain WebSocket; the
 * Engine.IO open and namespace connect for Socket.IO), answers Socket.IO pings, and hands data
 * messages to its subclass. Messages outside the delivery phase are small (the open packet, the
 * connect acknowledgement, "ready") and are collected whole, up to a bound, before they are read.
 */
abstract class FanoutConnection extends WebSocketConnection {
    /** Largest session message accepted; Engine.IO's open packet is about 100 bytes. */
    private static final int MAX_SESSION_MESSAGE = 1024;

    protected final FanoutProtocol protocol;
    private ByteBuf sessionMessage;
    private boolean sessionMessageText;
    private boolean collecting;
    private boolean connected;

    FanoutConnection(FanoutProtocol protocol) {
        this.protocol = protocol;
    }

    /** Whether data messages go to {@link #onDeliveryStart} and friends now, instead of being collected. */
    protected abstract boolean receivingDeliveries();

    /** The session is open: the connection may publish, or wait for "ready". */
    protected abstract void onConnected();

    /** A whole message outside the delivery phase that the protocol does not consume. */
    protected abstract void onSessionMessage(boolean text, ByteBuf message);

    protected void onDeliveryStart(boolean text) {
        throw new IllegalStateException("no deliveries expected");
    }

    protected void onDeliveryPayload(ByteBuf buffer, int index, int length) {
        throw new IllegalStateException("no deliveries expected");
    }

    protected void onDeliveryEnd() {
        throw new IllegalStateException("no deliveries expected");
    }

    @Override
    final void onOpen() {
        if (protocol == FanoutProtocol.WEBSOCKET) {
            connect();
        }
    }

    @Override
    public final void onMessageStart(boolean text) {
        if (receivingDeliveries()) {
            onDeliveryStart(text);
            return;
        }
        collecting = true;
        sessionMessageText = text;
        if (sessionMessage == null) {
            sessionMessage = Unpooled.buffer(128, MAX_SESSION_MESSAGE);
        }
        sessionMessage.clear();
    }

    @Override
    public final void onMessagePayload(ByteBuf buffer, int index, int length) {
        if (!collecting) {
            onDeliveryPayload(buffer, index, length);
        } else if (sessionMessage.writableBytes() >= length) {
            sessionMessage.writeBytes(buffer, index, length);
        } else {
            collecting = false;
            fail(ErrorCounts.Kind.PROTOCOL, "the server sent a message of more than " + MAX_SESSION_MESSAGE
                    + " bytes before the run started");
        }
    }

    @Override
    public final void onMessageEnd() {
        if (!collecting) {
            onDeliveryEnd();
            return;
        }
        collecting = false;
        if (protocol == FanoutProtocol.SOCKET_IO && sessionMessageText && onSocketIoPacket(sessionMessage)) {
            return;
        }
        onSessionMessage(sessionMessageText, sessionMessage);
    }

    /** Reads an Engine.IO / Socket.IO packet; returns false if it is for the subclass (an event). */
    private boolean onSocketIoPacket(ByteBuf packet) {
        int length = packet.readableBytes();
        int first = length > 0 ? packet.getUnsignedByte(0) : -1;
        int second = length > 1 ? packet.getUnsignedByte(1) : -1;
        if (first == FanoutProtocol.PING && length == 1) {
            answerPing();
        } else if (!connected && first == FanoutProtocol.OPEN) {
            ClientFrames.writeFrame(batch(2), ClientFrames.TEXT, Unpooled.wrappedBuffer(FanoutProtocol.CONNECT_PACKET));
        } else if (!connected && first == FanoutProtocol.MESSAGE && second == FanoutProtocol.CONNECT) {
            connect();
        } else if (first == FanoutProtocol.MESSAGE && second == FanoutProtocol.CONNECT_ERROR) {
            fail(ErrorCounts.Kind.CONNECT_FAILED, "the Socket.IO server refused the connection: " + describe(packet));
        } else if (first == FanoutProtocol.MESSAGE && second == FanoutProtocol.DISCONNECT) {
            serverDisconnected();
        } else {
            return false;
        }
        return true;
    }

    private void connect() {
        connected = true;
        onConnected();
    }

    /** Answers an Engine.IO ping; the pong leaves at the end of the read burst. */
    protected final void answerPing() {
        ClientFrames.writeFrame(batch(1), ClientFrames.TEXT, Unpooled.wrappedBuffer(FanoutProtocol.PONG_PACKET));
    }

    /** The Socket.IO server disconnected this client from the namespace. */
    protected final void serverDisconnected() {
        fail(ErrorCounts.Kind.CLOSED_BY_SERVER, "the Socket.IO server disconnected a client");
    }

    /** A message for an error description: its text, shortened, or its length. */
    static String describe(ByteBuf message) {
        int length = message.readableBytes();
        String shown = message.toString(message.readerIndex(), Math.min(length, 40), StandardCharsets.ISO_8859_1)
                .replaceAll("[^\\x20-\\x7e]", "?");
        return "'" + shown + (length > 40 ? "...' (" + length + " bytes)" : "'");
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        super.handlerRemoved(ctx);
        sessionMessage = null;
    }
}
