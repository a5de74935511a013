package io.echowall;

/**
 * Turns an exception a handler threw into a response, instead of the default 500 page. Registered with
 * {@link Echowall#exception(Class, ExceptionHandler)}; runs on the request's virtual thread, with the
 * response started afresh (status 500, no body, no headers).
 *
 * <pre>{@code
 * app.exception(NoSuchElementException.class, (e, ctx) -> ctx.status(404).json(Map.of("error", "no such item")));
 * }</pre>
 *
 * @param <E> the exceptions it handles
 */
@FunctionalInterface
public interface ExceptionHandler<E extends Exception> {

    /** Builds the response for {@code exception}. What it throws in turn gets the default 500 page. */
    void handle(E exception, Context ctx) throws Exception;
}
