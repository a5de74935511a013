package io.echowall.internal;

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
        String rawPath = exchange.target().rawPath();
        VIRTUAL_THREADS.newThread(() -> {
            FullHttpResponse response;
            ChunkedNioFile file = null;
            try {
                if (runFilters(app.beforeFilters(), exchange, rawPath, true)) {
                    handler.handle(exchange);
                }
                runFilters(app.afterFilters(), exchange, rawPath, false);
                response = toResponse(exchange);
                if (exchange.responseFile() != null && !exchange.request().method().equals(HttpMethod.HEAD)
                        && response.status().code() == 200) {
                    file = new ChunkedNioFile(exchange.responseFile().toFile()); // opened here: it may block
                }
            } catch (NotFoundException e) {
                response = ErrorPages.response(HttpResponseStatus.NOT_FOUND, "Nothing is served at this address.");
            } catch (BadRequestException e) {
                log.debug("{} {}: {}", exchange.method(), exchange.path(), e.getMessage());
                response = ErrorPages.response(HttpResponseStatus.BAD_REQUEST, e.getMessage());
            } catch (Throwable t) {
                log.error("{} {} failed; the client gets 500", exchange.method(), exchange.path(), t);
                response = ErrorPages.response(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "The server met an error it could not handle.");
            }
            then.accept(response, file);
        }).start();
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
            throw new NotFoundException();
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

    /** Thrown inside a static-file lookup when no source has the file. */
    private static final class NotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFoundException() {
            super(null, null, false, false);
        }
    }
}
