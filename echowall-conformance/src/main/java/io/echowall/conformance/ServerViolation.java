package io.echowall.conformance;

/** The server broke a rule the client side can check (a masked frame, a bad handshake answer, ...): the case fails. */
final class ServerViolation extends Exception {
    ServerViolation(String message) {
        super(message);
    }
}
