package io.echowall.internal;

import io.echowall.ExceptionHandler;
import io.echowall.Handler;
import io.echowall.http.ConditionalGet;
import io.echowall.http.StaticFiles;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.stream.ChunkedNioFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;

/**
 * Runs the user code of one HTTP exchange on a virtual thread of its own: the before filters, the
 * handler unless a filter responded, the after filters; then turns what they did, or how they failed,
 * into a response. A failure's details go to the log, never to the client.
 */
final class ExchangeRunner {

    private static final Logger log = LoggerFactory.getLogger(ExchangeRunner.class);
    private static final ThreadFactory VIRTUAL_THREADS = Thread.ofVirtual().name("echowall-http-", 1).factory();

    private ExchangeRunner() {
    }

    /**
     * Starts {@code handler} for {@code exchange}; {@code then} gets the response, with the file to
     * stream as its body or null, on the virtual thread.
     */
    static void start(Application app, HttpExchange exchange, Handler handler,
                      BiConsumer<FullHttpResponse, ChunkedNioFile> then) {
        VIRTUAL_THREADS.newThread(() -> {
            Outcome outcome;
            try {
                String rawPath = exchange.target().rawPath();
                if (runFilters(app.beforeFilters(), exchange, rawPath, true)) {
                    handler.handle(exchange);
                }
                runFilters(app.afterFilters(), exchange, rawPath, false);
                outcome = Outcome.of(exchange);
            } catch (Throwable t) {
                outcome = failed(app, exchange, t);
            }
            then.accept(outcome.response(), outcome.file());
        }).start();
    }

    /** A response, and the file to stream as its body or null. */
    private record Outcome(FullHttpResponse response, ChunkedNioFile file) {

        /** What the exchange built. */
        static Outcome of(HttpExchange exchange) throws IOException {
            FullHttpResponse response = toResponse(exchange);
            ChunkedNioFile file = null;
            if (exchange.responseFile() != null && !exchange.request().method().equals(HttpMethod.HEAD)
                    && response.status().code() == 200) {
                file = new ChunkedNioFile(exchange.responseFile().toFile()); // opened here: it may block
            }
            return new Outcome(response, file);
        }
    }

    /**
     * The response to a request whose handling failed: built by the app's handler for that exception
     * or that status when it has one, else the default error page. Details stay in the log.
     */
    private static Outcome failed(Application app, HttpExchange exchange, Throwable failure) {
        int status;
        String explanation;
        Map<String, String> headers = Map.of();
        if (failure instanceof ServedError served) {
            status = served.status();
            explanation = served.getMessage();
            headers = served.headers();
        } else if (failure instanceof BadRequestException) {
            log.debug("{} {}: {}", exchange.method(), exchange.path(), failure.getMessage());
            status = 400;
            explanation = failure.getMessage();
        } else {
            ExceptionHandler<Exception> forIt = failure instanceof Exception e ? app.exceptionHandlerFor(e) : null;
            if (forIt != null) {
                Outcome handled = recover(exchange, 500, Map.of(), ctx -> forIt.handle((Exception) failure, ctx),
                        "exception handler for " + failure.getClass().getName());
                if (handled != null) {
                    return handled;
                }
            }
            log.error("{} {} failed; the client gets 500", exchange.method(), exchange.path(), failure);
            status = 500;
            explanation = "The server met an error it could not handle.";
        }
        Handler page = app.errorHandler(status);
        Outcome handled = page == null ? null : recover(exchange, status, headers, page, "error handler for " + status);
        if (handled != null) {
            return handled;
        }
        FullHttpResponse response = ErrorPages.response(exchange.request(), HttpResponseStatus.valueOf(status), explanation);
        headers.forEach(response.headers()::set);
        return new Outcome(response, null);
    }

    /** Runs the app's {@code handler} on a fresh response with {@code status}; null if it failed. */
    private static Outcome recover(HttpExchange exchange, int status, Map<String, String> headers, Handler handler,
                                   String what) {
        try {
            exchange.restartResponse(status);
            handler.handle(exchange);
            headers.forEach(exchange::header);
            return Outcome.of(exchange);
        } catch (Throwable again) {
            log.error("The {} failed on {} {}; the client gets the default page", what, exchange.method(),
                    exchange.path(), again);
            return null;
        }
    }

    /**
     * Runs the filters that apply to the path; before filters stop at the first one that responds.
     *
     * @return whether the exchange should go on to the handler
     */
    static boolean runFilters(Iterable<Filter> filters, HttpExchange exchange, String rawPath, boolean before)
            throws Exception {
        for (Filter filter : filters) {
            if (filter.applies(rawPath)) {
                filter.handler().handle(exchange);
                if (before && exchange.responded()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The handler that serves the app's static files, with conditional GET, or 404. */
    static Handler staticFiles(Application app) {
        return ctx -> {
            HttpExchange exchange = (HttpExchange) ctx;
            for (StaticFiles files : app.staticFiles()) {
                Optional<StaticFiles.StaticFile> file = files.find(exchange.path());
                if (file.isPresent()) {
                    serveFile(exchange, file.get());
                    return;
                }
            }
            throw new ServedError(404, "Nothing is served at this address.", Map.of());
        };
    }

    private static void serveFile(HttpExchange exchange, StaticFiles.StaticFile file) {
        exchange.header("ETag", file.etag())
                .header("Last-Modified", ConditionalGet.HTTP_DATE.format(file.lastModified()))
                .header("Cache-Control", "no-cache");
        if (ConditionalGet.notModified(exchange.header("If-None-Match"), exchange.header("If-Modified-Since"),
                file.etag(), file.lastModified())) {
            exchange.status(304);
            return;
        }
        if (file.content() == null) {
            exchange.file(file.path(), file.length(), file.contentType());
        } else {
            exchange.contentType(file.contentType()).bytes(file.content());
        }
    }

    static FullHttpResponse toResponse(HttpExchange exchange) {
        byte[] body = exchange.responseBody();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(exchange.status()),
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().set(exchange.responseHeaders());
        if (body == null && exchange.status() == 200) {
            response.setStatus(HttpResponseStatus.NO_CONTENT); // a handler that said nothing
        }
        return response;
    }
}
