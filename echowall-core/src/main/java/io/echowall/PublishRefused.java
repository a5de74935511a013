package io.echowall;

import java.util.Objects;

/**
 * Thrown by {@link RoomAccess#publishing} to refuse what a client publishes, with a reason the client
 * is shown: the protocol's {@code error} with the code {@code forbidden} and this reason as its
 * {@code message}, which echowall.js turns into the publish's rejection. The connection goes on.
 *
 * <p>The reason goes to the client as it is: write it for the user, never put an exception's message
 * in it.
 */
public class PublishRefused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Refuses the publish, telling the client {@code reason} ("a line is 1 to 500 characters"). */
    public PublishRefused(String reason) {
        super(Objects.requireNonNull(reason, "reason"), null, false, false); // an answer, not a failure: no stack trace
    }
}
