package io.netty.handler.codec.http.websocketx;

import io.netty.buffer.ByteBuf;

/**
 * Netty's UTF-8 check as {@link Utf8FrameValidator} runs it on every text frame: {@link Utf8Validator}
 * (a byte-at-a-time DFA over {@code ByteBuf.forEachByte}) then {@code finish()}.
 *
 * <p>Netty keeps that class package-private, so this bridge sits in Netty's package. It exists only in
 * the benchmark jar, on the class path, where packages are not sealed.
 */
public final class NettyUtf8Check {

    private final Utf8Validator validator = new Utf8Validator();

    /** Validates a whole message; throws {@link CorruptedWebSocketFrameException} if it is not UTF-8. */
    public void check(ByteBuf message) {
        validator.check(message);
        validator.finish();
    }
}
