package io.echowall;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ctx.render} through the server: classpath templates, autoescaping, and development reloads. */
@Timeout(30)
class TemplatesServerTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Echowall app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
        client.close();
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
    }

    @Test
    void rendersAClasspathTemplateAsHtml() throws Exception {
        app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.get("/hello/{name}", ctx -> ctx.render("greeting.html",
                Map.of("name", ctx.pathParam("name"), "items", List.of("red", "green"))));
        app.start(0);

        HttpResponse<String> response = get("/hello/Ada");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(response.body()).contains("<h1>Hello, Ada!</h1>").contains("<li>red</li><li>green</li>");
    }

    @Test
    void requestDataIsEscapedInTheHtml() throws Exception {
        app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.get("/hello", ctx -> ctx.render("greeting.html",
                Map.of("name", ctx.queryParam("name"), "items", List.of())));
        app.start(0);

        HttpResponse<String> response = get("/hello?name=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22");

        assertThat(response.body()).doesNotContain("<script>")
                .contains("Hello, &lt;script&gt;alert(1)&lt;/script&gt;&quot;!");
    }

    @Test
    void missingTemplateGets500AndOneLogLine() throws Exception {
        app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.get("/missing", ctx -> ctx.render("does-not-exist.html"));
        app.start(0);

        try (LogCapture errors = LogCapture.errors()) {
            HttpResponse<String> response = get("/missing");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).doesNotContain("does-not-exist", "classpath");
            assertThat(errors.events()).hasSize(1);
        }
    }

    @Test
    void developmentModeShowsAnEditOnTheNextRender(@TempDir Path templates) throws Exception {
        Path page = templates.resolve("page.html");
        Files.writeString(page, "<p>version one: {{ who }}</p>");
        app = Echowall.create(c -> c.withHost("127.0.0.1").withTemplateDirectory(templates));
        app.get("/", ctx -> ctx.render("page.html", Map.of("who", "<you>")));
        app.start(0);
        assertThat(get("/").body()).isEqualTo("<p>version one: &lt;you&gt;</p>");

        Files.writeString(page, "<p>version two: {{ who }}</p>");

        assertThat(get("/").body()).isEqualTo("<p>version two: &lt;you&gt;</p>");
    }

    @Test
    void developmentModeFindsTemplatesAddedAfterStart(@TempDir Path templates) throws Exception {
        app = Echowall.create(c -> c.withHost("127.0.0.1").withTemplateDirectory(templates));
        app.get("/", ctx -> ctx.render("late.html"));
        app.start(0);
        try (LogCapture errors = LogCapture.errors()) {
            assertThat(get("/").statusCode()).isEqualTo(500);
            assertThat(errors.events()).hasSize(1);
        }

        Files.writeString(templates.resolve("late.html"), "<p>here now</p>");

        assertThat(get("/").body()).isEqualTo("<p>here now</p>");
    }
}
