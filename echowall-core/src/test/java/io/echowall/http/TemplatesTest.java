package io.echowall.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplatesTest {

    @Test
    void rendersAClasspathTemplateWithItsModel() {
        String html = Templates.fromClasspath().render("greeting.html",
                Map.of("name", "Ada", "items", List.of("one", "two")));

        assertThat(html).contains("<h1>Hello, Ada!</h1>").contains("<li>one</li><li>two</li>");
    }

    @Test
    void escapesHtmlInTheModel() {
        String html = Templates.fromClasspath().render("greeting.html",
                Map.of("name", "<script>alert('x')</script>", "items", List.of("a & b")));

        assertThat(html).doesNotContain("<script>")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("<li>a &amp; b</li>");
    }

    @Test
    void missingTemplateIsNoSuchElement() {
        assertThatThrownBy(() -> Templates.fromClasspath().render("nowhere.html", Map.of()))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("nowhere.html");
    }

    @Test
    void classpathTemplatesAreParsedOnceAndCached() throws IOException, URISyntaxException {
        Path folder = Path.of(TemplatesTest.class.getResource("/templates/greeting.html").toURI()).getParent();
        Path probe = folder.resolve("cache-probe.html");
        try {
            Files.writeString(probe, "first");
            Templates templates = Templates.fromClasspath();
            assertThat(templates.render("cache-probe.html", Map.of())).isEqualTo("first");

            Files.writeString(probe, "second");

            assertThat(templates.render("cache-probe.html", Map.of())).isEqualTo("first");
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    @Test
    void directoryTemplatesShowEditsOnTheNextRender(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("page.html"), "v1 {{ x }}");
        Templates templates = Templates.fromDirectory(dir);
        assertThat(templates.render("page.html", Map.of("x", "<b>"))).isEqualTo("v1 &lt;b&gt;");

        Files.writeString(dir.resolve("page.html"), "v2 {{ x }}");

        assertThat(templates.render("page.html", Map.of("x", 1))).isEqualTo("v2 1");
    }

    @Test
    void directoryTemplatesMayIncludeEachOther(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("base.html"), "<main>{% block content %}{% endblock %}</main>");
        Files.writeString(dir.resolve("child.html"), "{% extends \"base.html\" %}{% block content %}hi{% endblock %}");

        assertThat(Templates.fromDirectory(dir).render("child.html", Map.of())).isEqualTo("<main>hi</main>");
    }
}
