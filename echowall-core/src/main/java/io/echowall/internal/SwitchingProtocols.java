package io.echowall.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The 101 response that completes a WebSocket opening handshake (RFC 6455 section 4.2.2), encoded
 * straight into one buffer: built through Netty's HTTP response and handshaker, it cost several
 * kilobytes of short-lived objects per connection, which at thousands of opens a second is what filled
 * the young generation.
 */
final class SwitchingProtocols {

    /** Section 1.3: the GUID the client's key is hashed with. */
    private static final byte[] KEY_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

    private static final FastThreadLocal<MessageDigest> SHA1 = new FastThreadLocal<>() {
        @Override
        protected MessageDigest initialValue() throws NoSuchAlgorithmException {
            return MessageDigest.getInstance("SHA-1"); // every Java platform has it
        }
    };

    private SwitchingProtocols() {
    }

    /** The Sec-WebSocket-Accept value for the client's Sec-WebSocket-Key (section 4.2.2, item 5.4). */
    private static String accept(String key) {
        MessageDigest sha1 = SHA1.get();
        sha1.reset();
        for (int i = 0; i < key.length(); i++) {
            sha1.update((byte) key.charAt(i)); // a checked key is 24 base64 characters
        }
        sha1.update(KEY_GUID);
        return Base64.getEncoder().encodeToString(sha1.digest());
    }

    /**
     * The whole response for the client's {@code key}, naming the agreed {@code subprotocol} and the
     * {@code extensions} response when they are not null.
     */
    static ByteBuf response(ByteBufAllocator alloc, String key, String subprotocol, String extensions) {
        ByteBuf out = alloc.buffer(160 + length(subprotocol) + length(extensions));
        ascii(out, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
        header(out, "Sec-WebSocket-Accept: ", accept(key));
        if (subprotocol != null) {
            header(out, "Sec-WebSocket-Protocol: ", subprotocol);
        }
        if (extensions != null) {
            header(out, "Sec-WebSocket-Extensions: ", extensions);
        }
        ascii(out, "\r\n");
        return out;
    }

    private static void header(ByteBuf out, String nameAndColon, String value) {
        ascii(out, nameAndColon);
        ascii(out, value);
        ascii(out, "\r\n");
    }

    private static void ascii(ByteBuf out, String text) {
        out.writeCharSequence(text, StandardCharsets.US_ASCII);
    }

    private static int length(String value) {
        return value == null ? 0 : value.length() + 32;
    }
}
