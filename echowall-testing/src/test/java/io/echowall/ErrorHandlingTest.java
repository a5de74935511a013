package io.echowall;

import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Error pages: JSON for JSON clients, the app's own exception and error handlers, and what happens when they fail. */
@Timeout(30)
class ErrorHandlingTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Echowall app() {
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.get("/items/{id}", ctx -> {
            throw new NoSuchElementException("item " + ctx.pathParam("id") + " and a secret");
        });
        app.get("/bad", ctx -> {
            throw new IllegalArgumentException("bad argument with a secret");
        });
        app.get("/boom", ctx -> {
            throw new IllegalStateException("boom with a secret");
        });
        app.post("/only-post", ctx -> ctx.text("posted"));
        return app;
    }

    private HttpResponse<String> get(String path, String accept) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Accept", accept).GET());
    }

    @Test
    void defaultErrorPagesAreJsonForJsonClientsAndHtmlForBrowsers() {
        server = TestServer.start(app());
        HttpResponse<String> json = get("/nowhere", "application/json");
        assertThat(json.statusCode()).isEqualTo(404);
        assertThat(json.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(json.body()).isEqualTo("{\"status\":404,\"error\":\"Not Found\",\"message\":\"Nothing is served at this address.\"}");
        HttpResponse<String> html = get("/boom", "text/html,application/xhtml+xml,application/json;q=0.9");
        assertThat(html.statusCode()).isEqualTo(500);
        assertThat(html.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(html.body()).contains("500 Internal Server Error").doesNotContain("secret");
    }

    @Test
    void anExceptionHandlerBuildsTheResponseAndTheNearestSuperclassWins() {
        var app = app();
        app.exception(RuntimeException.class, (e, ctx) -> ctx.status(503).text("runtime"));
        app.exception(NoSuchElementException.class, (e, ctx) -> ctx.status(404).json(Map.of("error", "no such item")));
        server = TestServer.start(app);
        HttpResponse<String> missing = server.get("/items/7");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"error\":\"no such item\"}");
        HttpResponse<String> other = server.get("/bad");
        assertThat(other.statusCode()).isEqualTo(503);
        assertThat(other.body()).isEqualTo("runtime");
    }

    @Test
    void errorHandlersBuildThePagesTheServerDecidesOn() {
        var app = app();
        app.error(404, ctx -> ctx.html("<h1>Lost?</h1>"));
        app.error(405, ctx -> ctx.text("use another method"));
        app.error(500, ctx -> ctx.text("sorry"));
        server = TestServer.start(app);
        HttpResponse<String> notFound = server.get("/nowhere");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).isEqualTo("<h1>Lost?</h1>");
        HttpResponse<String> notAllowed = server.get("/only-post");
        assertThat(notAllowed.statusCode()).isEqualTo(405);
        assertThat(notAllowed.body()).isEqualTo("use another method");
        assertThat(notAllowed.headers().firstValue("Allow").orElseThrow()).contains("POST");
        HttpResponse<String> failed = server.get("/boom");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).isEqualTo("sorry");
    }

    @Test
    void anExceptionHandlerThatFailsLeavesTheDefaultPage() {
        var app = app();
        app.exception(IllegalStateException.class, (e, ctx) -> {
            throw new IllegalStateException("the handler's own bug");
        });
        server = TestServer.start(app);
        try (LogCapture errors = LogCapture.errors()) {
            HttpResponse<String> response = server.get("/boom");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).contains("500 Internal Server Error").doesNotContain("bug");
            assertThat(errors.events()).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("exception handler"));
        }
    }

    @Test
    void errorPagesAreForTheStatusesTheServerDecidesOn() {
        assertThatThrownBy(() -> app().error(418, ctx -> ctx.text("teapot")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("400, 404, 405 and 500");
    }
}
