package io.echowall;

import io.echowall.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static files through the server: from the classpath ({@code public/} in the test resources) under
 * {@code /static}, and from a temporary directory under {@code /files}. Traversal attempts go over a raw
 * socket so that nothing normalizes them on the way.
 */
@Timeout(30)
class StaticFilesServerTest {

    private static final Instant MODIFIED = Instant.parse("2024-03-05T09:08:07Z");

    @TempDir
    Path temp;

    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        Path root = Files.createDirectories(temp.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<p>directory index</p>");
        Files.writeString(root.resolve("notes.txt"), "directory notes");
        Files.write(root.resolve("pixel.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        Files.writeString(root.resolve("data.json"), "{\"a\":1}");
        Files.writeString(root.resolve("page.unknownext"), "?");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<p>docs index</p>");
        Files.setLastModifiedTime(root.resolve("notes.txt"), FileTime.from(MODIFIED));
        Files.writeString(temp.resolve("secret.txt"), "TOP SECRET");
        Files.createSymbolicLink(root.resolve("leak.txt"), temp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("up"), temp);

        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.get("/ping", ctx -> ctx.text("pong"));
        app.get("/static/routed", ctx -> ctx.text("a route wins over files"));
        app.staticFiles("/static", "public");
        app.staticFiles("/files", root);
        app.after(ctx -> ctx.header("X-After", "ran"));
        server = TestServer.start(app);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return server.send(request);
    }

    private void assertServesNewConnection() throws IOException {
        RawHttp.Response response = RawHttp.exchange(server.port(), "GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("pong");
    }

    // ---------------------------------------------------------------- serving

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/static/hello.txt      | text/plain; charset=utf-8      | hello from the classpath",
            "/static/css/site.css   | text/css; charset=utf-8        | color",
            "/static/js/app.js      | text/javascript; charset=utf-8 | answer",
            "/static/data.json      | application/json               | \"ok\"",
            "/static/               | text/html; charset=utf-8       | classpath index",
            "/static                | text/html; charset=utf-8       | classpath index",
            "/static/sub/           | text/html; charset=utf-8       | classpath sub index",
            "/static/sub            | text/html; charset=utf-8       | classpath sub index",
            "/files/notes.txt       | text/plain; charset=utf-8      | directory notes",
            "/files/data.json       | application/json               | \"a\"",
            "/files/pixel.png       | image/png                      | PNG",
            "/files/page.unknownext | application/octet-stream       | ?",
            "/files/                | text/html; charset=utf-8       | directory index",
            "/files/docs            | text/html; charset=utf-8       | docs index",
            "/files/docs/           | text/html; charset=utf-8       | docs index"})
    void servesFilesWithTheirContentType(String path, String type, String content) throws Exception {
        HttpResponse<String> response = get(path);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(type);
        assertThat(response.body()).contains(content);
        assertThat(response.headers().firstValue("ETag")).isPresent();
        assertThat(response.headers().firstValue("Last-Modified")).isPresent();
        assertThat(response.headers().firstValue("X-After")).hasValue("ran");
    }

    @Test
    void routeWinsOverAStaticFile() throws Exception {
        assertThat(get("/static/routed").body()).isEqualTo("a route wins over files");
    }

    @Test
    void missingFileGets404() throws Exception {
        assertThat(get("/static/nothing.txt").statusCode()).isEqualTo(404);
        assertThat(get("/files/nothing.txt").statusCode()).isEqualTo(404);
        assertThat(get("/files/notes.txt/more").statusCode()).isEqualTo(404);
        assertThat(get("/elsewhere.txt").statusCode()).isEqualTo(404);
    }

    @Test
    void onlyGetAndHeadReadFiles() throws Exception {
        RawHttp.Response post = RawHttp.exchange(server.port(),
                "POST /files/notes.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");

        assertThat(post.status()).isEqualTo(404);
    }

    @Test
    void headGetsTheFileHeadersWithoutItsBody() throws IOException {
        try (RawHttp http = RawHttp.connect(server.port())) {
            RawHttp.Response head = http.send("HEAD /files/notes.txt HTTP/1.1\r\nHost: localhost\r\n\r\n").readHead();
            RawHttp.Response next = http.send("GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n").read();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf("directory notes".length()));
            assertThat(head.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(head.header("ETag")).isNotNull();
            assertThat(next.text()).isEqualTo("pong");
        }
    }

    @Test
    void lastModifiedIsAnImfFixdate() throws Exception {
        // RFC 9110 section 5.6.7: a two-digit day, even on the 5th.
        assertThat(get("/files/notes.txt").headers().firstValue("Last-Modified"))
                .hasValue("Tue, 05 Mar 2024 09:08:07 GMT");
    }

    // ---------------------------------------------------------------- revalidation

    @ParameterizedTest
    @ValueSource(strings = {"/static/hello.txt", "/files/notes.txt"})
    void matchingEtagGets304(String path) throws Exception {
        HttpResponse<String> first = get(path);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = get(path, "If-None-Match", etag);
        HttpResponse<String> inList = get(path, "If-None-Match", "\"other\", " + etag);
        HttpResponse<String> star = get(path, "If-None-Match", "*");
        HttpResponse<String> changed = get(path, "If-None-Match", "\"something-else\"");

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);
        assertThat(inList.statusCode()).isEqualTo(304);
        assertThat(star.statusCode()).isEqualTo(304);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(first.body());
    }

    @Test
    void weakAndStrongFormsOfTheSameEtagMatch() throws Exception {
        String etag = get("/files/notes.txt").headers().firstValue("ETag").orElseThrow();
        String other = etag.startsWith("W/") ? etag.substring(2) : "W/" + etag;

        assertThat(get("/files/notes.txt", "If-None-Match", other).statusCode()).isEqualTo(304);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/hello.txt", "/files/notes.txt"})
    void unmodifiedSinceLastModifiedGets304(String path) throws Exception {
        String lastModified = get(path).headers().firstValue("Last-Modified").orElseThrow();

        HttpResponse<String> same = get(path, "If-Modified-Since", lastModified);
        HttpResponse<String> older = get(path, "If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT");
        HttpResponse<String> garbage = get(path, "If-Modified-Since", "yesterday-ish");

        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        assertThat(older.statusCode()).isEqualTo(200);
        assertThat(garbage.statusCode()).isEqualTo(200);
    }

    @Test
    void ifNoneMatchWinsOverIfModifiedSince() throws Exception {
        String lastModified = get("/files/notes.txt").headers().firstValue("Last-Modified").orElseThrow();

        HttpResponse<String> response = get("/files/notes.txt",
                "If-None-Match", "\"stale\"", "If-Modified-Since", lastModified);

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void editedFileGetsANewEtag() throws Exception {
        String before = get("/files/notes.txt").headers().firstValue("ETag").orElseThrow();
        Files.writeString(temp.resolve("www/notes.txt"), "directory notes, longer now");

        HttpResponse<String> response = get("/files/notes.txt", "If-None-Match", before);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("directory notes, longer now");
        assertThat(response.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(before));
    }

    // ---------------------------------------------------------------- traversal

    @ParameterizedTest
    @ValueSource(strings = {
            "/files/../secret.txt",
            "/files/../../../../etc/passwd",
            "/files/docs/../../secret.txt",
            "/files/%2e%2e/secret.txt",
            "/files/%2E%2E/secret.txt",
            "/files/.%2e/secret.txt",
            "/files/%2e%2e%2fsecret.txt",
            "/files/..%2F..%2Fsecret.txt",
            "/files/docs/%2e%2e/%2e%2e/secret.txt",
            "/files/..\\secret.txt",
            "/files/%5c..%5csecret.txt",
            "/files/..%5csecret.txt",
            "/files/notes.txt%00.png",
            "/files/%00/../secret.txt",
            "/files//secret.txt",
            "/files/.//secret.txt",
            "/files/./notes.txt",
            "/files/leak.txt",
            "/files/up/secret.txt",
            "/files/%252e%252e/secret.txt",
            "/files/..;/secret.txt",
            "/static/../logback-test.xml",
            "/static/%2e%2e/logback-test.xml",
            "/static/%2e%2e/templates/greeting.html",
            "/static/css/%2e%2e/%2e%2e/logback-test.xml",
            "/static/..%5clogback-test.xml",
            "/%2e%2e/%2e%2e/etc/passwd"})
    void traversalAttemptsGet404(String target) throws IOException {
        try (RawHttp http = RawHttp.connect(server.port())) {
            RawHttp.Response response = http.send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(404);
            assertThat(response.text()).doesNotContain("TOP SECRET", "root:", "<configuration>", "Greeting");
        }
        assertServesNewConnection();
    }

    @Test
    void traversalInTheAbsoluteFormGets404() throws IOException {
        RawHttp.Response response = RawHttp.exchange(server.port(),
                "GET http://test/files/%2e%2e/secret.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");

        assertThat(response.status()).isEqualTo(404);
        assertServesNewConnection();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/files/%c0%ae%c0%ae/secret.txt", "/files/%e0%80%ae%e0%80%ae/secret.txt", "/files/%2"})
    void malformedEscapesGet400(String target) throws IOException {
        try (RawHttp http = RawHttp.connect(server.port())) {
            RawHttp.Response response = http.send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.text()).doesNotContain("TOP SECRET");
            assertThat(http.awaitClose()).isEmpty();
        }
        assertServesNewConnection();
    }
}
