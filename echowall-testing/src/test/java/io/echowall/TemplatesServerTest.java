package io.echowall;

import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ctx.render} through the server: classpath templates, autoescaping, and development reloads. */
@Timeout(30)
class TemplatesServerTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void rendersAClasspathTemplateAsHtml() throws Exception {
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.get("/hello/{name}", ctx -> ctx.render("greeting.html",
                Map.of("name", ctx.pathParam("name"), "items", List.of("red", "green"))));
        server = TestServer.start(app);

        HttpResponse<String> response = server.get("/hello/Ada");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(response.body()).contains("<h1>Hello, Ada!</h1>").contains("<li>red</li><li>green</li>");
    }

    @Test
    void requestDataIsEscapedInTheHtml() throws Exception {
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.get("/hello", ctx -> ctx.render("greeting.html",
                Map.of("name", ctx.queryParam("name"), "items", List.of())));
        server = TestServer.start(app);

        HttpResponse<String> response = server.get("/hello?name=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22");

        assertThat(response.body()).doesNotContain("<script>")
                .contains("Hello, &lt;script&gt;alert(1)&lt;/script&gt;&quot;!");
    }

    @Test
    void missingTemplateGets500AndOneLogLine() throws Exception {
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.get("/missing", ctx -> ctx.render("does-not-exist.html"));
        server = TestServer.start(app);

        try (LogCapture errors = LogCapture.errors()) {
            HttpResponse<String> response = server.get("/missing");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).doesNotContain("does-not-exist", "classpath");
            assertThat(errors.events()).hasSize(1);
        }
    }

    @Test
    void developmentModeShowsAnEditOnTheNextRender(@TempDir Path templates) throws Exception {
        Path page = templates.resolve("page.html");
        Files.writeString(page, "<p>version one: {{ who }}</p>");
        var app = Echowall.create(c -> c.withHost("127.0.0.1").withTemplateDirectory(templates));
        app.get("/", ctx -> ctx.render("page.html", Map.of("who", "<you>")));
        server = TestServer.start(app);
        assertThat(server.get("/").body()).isEqualTo("<p>version one: &lt;you&gt;</p>");

        Files.writeString(page, "<p>version two: {{ who }}</p>");

        assertThat(server.get("/").body()).isEqualTo("<p>version two: &lt;you&gt;</p>");
    }

    @Test
    void developmentModeFindsTemplatesAddedAfterStart(@TempDir Path templates) throws Exception {
        var app = Echowall.create(c -> c.withHost("127.0.0.1").withTemplateDirectory(templates));
        app.get("/", ctx -> ctx.render("late.html"));
        server = TestServer.start(app);
        try (LogCapture errors = LogCapture.errors()) {
            assertThat(server.get("/").statusCode()).isEqualTo(500);
            assertThat(errors.events()).hasSize(1);
        }

        Files.writeString(templates.resolve("late.html"), "<p>here now</p>");

        assertThat(server.get("/").body()).isEqualTo("<p>here now</p>");
    }
}
