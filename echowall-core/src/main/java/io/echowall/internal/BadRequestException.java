package io.echowall.internal;

/** The request cannot be served as sent; unless the handler catches it, the client gets 400. */
final class BadRequestException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    BadRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
