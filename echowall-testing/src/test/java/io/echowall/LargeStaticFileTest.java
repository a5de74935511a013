package io.echowall;

import io.echowall.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A static file larger than what is read into memory is streamed from disk, byte for byte. */
@Timeout(60)
class LargeStaticFileTest {

    @TempDir
    Path dir;

    @Test
    void aLargeFileIsStreamedWithItsLengthAndThePipelineKeepsItsOrder() throws Exception {
        byte[] content = new byte[3 << 20];
        new Random(7).nextBytes(content);
        Files.write(dir.resolve("big.bin"), content);
        var app = Echowall.create(c -> c.withHost("127.0.0.1"));
        app.get("/after", ctx -> ctx.text("after"));
        app.staticFiles("/files", dir);
        try (var server = TestServer.start(app)) {
            HttpRequest.Builder big = HttpRequest.newBuilder(server.uri("/files/big.bin"));

            HttpResponse<byte[]> got = server.send(big, HttpResponse.BodyHandlers.ofByteArray());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
            assertThat(got.body()).isEqualTo(content);

            HttpResponse<byte[]> head = server.send(big.copy().method("HEAD", HttpRequest.BodyPublishers.noBody()),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
            assertThat(head.body()).isEmpty();

            String etag = got.headers().firstValue("ETag").orElseThrow();
            HttpResponse<byte[]> cached = server.send(big.copy().header("If-None-Match", etag),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(cached.statusCode()).isEqualTo(304);
            assertThat(cached.body()).isEmpty();

            // Pipelined behind the big file, a small response still comes second and intact.
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(20_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /files/big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n"
                        + "GET /after HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] all = readAll(socket.getInputStream());
                String text = new String(all, StandardCharsets.ISO_8859_1);
                int second = text.indexOf("HTTP/1.1 200", 10);
                assertThat(text).startsWith("HTTP/1.1 200");
                assertThat(second).isPositive();
                assertThat(text.substring(second)).endsWith("after");
                int bodyStart = text.indexOf("\r\n\r\n") + 4;
                assertThat(second - bodyStart).isEqualTo(content.length);
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
