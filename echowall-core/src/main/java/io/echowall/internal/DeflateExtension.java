package io.echowall.internal;

import io.echowall.EchowallConfig;
import io.echowall.websocket.DeflateNegotiation;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;

import java.util.HashMap;
import java.util.Map;

/**
 * Netty's permessage-deflate codec for an offer {@link DeflateNegotiation} accepted, configured from the
 * server's settings; the negotiation's rules themselves are in {@code DeflateNegotiation}.
 */
final class DeflateExtension {

    private DeflateExtension() {
    }

    /** The extension for {@code offer}, or null if Netty's handshaker declines it. */
    static WebSocketServerExtension accept(Map<String, String> offer, EchowallConfig config) {
        Map<String, String> params = new HashMap<>(offer);
        boolean tinyWindow = DeflateNegotiation.wantsTinyWindow(offer);
        if (tinyWindow) {
            params.remove(DeflateNegotiation.SERVER_MAX_WINDOW_BITS); // answered by the reply rule instead
        }
        PerMessageDeflateServerExtensionHandshaker handshaker = new PerMessageDeflateServerExtensionHandshaker(
                tinyWindow ? 0 : config.deflateLevel(), // level 0 writes stored blocks
                true,                                   // honour a client's server_max_window_bits
                config.deflateClientMaxWindowBits(),
                true,                                   // honour a client's server_no_context_takeover
                config.deflateClientNoContextTakeover(),
                config.deflateServerMaxWindowBits(),
                8,                                      // zlib's default memory level
                inflateLimit(config));
        return handshaker.handshakeExtension(new WebSocketExtensionData(DeflateNegotiation.PERMESSAGE_DEFLATE, params));
    }

    /**
     * Where the inflater gives up on a frame (1009): past the message limit, with headroom because
     * Netty's zlib decoder stops short of its buffer's end; the exact limit is checked on the result.
     */
    private static int inflateLimit(EchowallConfig config) {
        return (int) Math.min(Integer.MAX_VALUE, config.maxMessageSize() + (64L << 10));
    }
}
