package io.echowall.internal;

import java.io.IOException;

/**
 * Why the server could not start, in one line that says what to do; without a stack trace, which would
 * bury that line under thirty of Netty's.
 */
final class StartFailure extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private StartFailure(String message) {
        super(message);
    }

    /** The server could not bind {@code host}:{@code port}. */
    static StartFailure cannotBind(String host, int port, IOException cause) {
        String why = cause.getMessage() == null ? "" : cause.getMessage();
        if (why.contains("in use")) {
            return new StartFailure("port " + port + " is in use: another process listens on it; stop it, or choose "
                    + "another port (echowall serve --port N, or app.start(N))");
        }
        return new StartFailure("cannot listen on " + host + ":" + port + ": " + why);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
