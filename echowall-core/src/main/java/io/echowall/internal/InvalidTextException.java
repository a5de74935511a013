package io.echowall.internal;

/** A text message was not valid UTF-8: the connection fails with 1007. */
final class InvalidTextException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidTextException() {
        super("text message is not valid UTF-8", null, false, false);
    }
}
