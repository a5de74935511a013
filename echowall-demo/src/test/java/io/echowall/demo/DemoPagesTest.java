package io.echowall.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's three pages are served, as HTML, and each links to the other two. */
@Timeout(30)
class DemoPagesTest {

    @Test
    void everyPageIsServedAndLinksToTheOthers() {
        try (var server = new DemoServer(EchoWall.Style.BLOCKING)) {
            for (String path : List.of("/", "/chat", "/live")) {
                HttpResponse<String> page = server.server.get(path);
                assertThat(page.statusCode()).as(path).isEqualTo(200);
                assertThat(page.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
                assertThat(page.body()).as(path).contains("<a href=\"/\"", "<a href=\"/chat\"", "<a href=\"/live\"");
                assertThat(page.body()).as(path).contains("<a href=\"" + path + "\" aria-current=\"page\">");
            }
        }
    }
}
