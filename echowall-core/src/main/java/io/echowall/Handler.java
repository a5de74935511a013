package io.echowall;

/**
 * Code that serves an HTTP request, or filters one: a route handler, a before filter or an after filter.
 *
 * <p>It runs on a virtual thread of its own and may block. An exception that escapes becomes a 500
 * response (its stack trace goes to the log, never to the client).
 */
@FunctionalInterface
public interface Handler {

    /** Serves or filters the exchange in {@code ctx}. */
    void handle(Context ctx) throws Exception;
}
