package io.echowall.http;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StaticFilesTest {

    @TempDir
    Path temp;

    private Path root;
    private StaticFiles files;

    @BeforeEach
    void createTree() throws IOException {
        root = Files.createDirectories(temp.resolve("root"));
        Files.writeString(root.resolve("hello.txt"), "hello");
        Files.writeString(root.resolve("index.html"), "<p>root index</p>");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/index.html"), "<p>sub index</p>");
        Files.writeString(root.resolve("sub/app.js"), "let x;");
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(temp.resolve("secret.txt"), "secret");
        Files.createDirectories(temp.resolve("outside"));
        Files.writeString(temp.resolve("outside/index.html"), "secret index");
        Files.createSymbolicLink(root.resolve("leak.txt"), Path.of("../secret.txt"));
        Files.createSymbolicLink(root.resolve("escape"), temp);
        Files.createSymbolicLink(root.resolve("away"), temp.resolve("outside"));
        Files.createSymbolicLink(root.resolve("alias.txt"), Path.of("hello.txt"));
        files = StaticFiles.fromDirectory("/static", root);
    }

    @Test
    void servesAFileWithTypeAndValidators() throws IOException {
        Instant modified = Instant.parse("2024-03-05T10:15:30.700Z");
        Files.setLastModifiedTime(root.resolve("hello.txt"), FileTime.from(modified));

        StaticFiles.StaticFile file = files.find("/static/hello.txt").orElseThrow();

        assertThat(new String(file.content(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(file.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(file.lastModified()).isEqualTo(Instant.parse("2024-03-05T10:15:30Z"));
        assertThat(file.etag()).isNotBlank();
    }

    @Test
    void etagChangesWhenTheFileChanges() throws IOException {
        String before = files.find("/static/hello.txt").orElseThrow().etag();
        Files.writeString(root.resolve("hello.txt"), "hello, changed");

        assertThat(files.find("/static/hello.txt").orElseThrow().etag()).isNotEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static", "/static/"})
    void theRootServesItsIndex(String path) {
        assertThat(text(files.find(path))).isEqualTo("<p>root index</p>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/sub", "/static/sub/"})
    void aFolderServesItsIndex(String path) {
        StaticFiles.StaticFile file = files.find(path).orElseThrow();

        assertThat(new String(file.content(), StandardCharsets.UTF_8)).isEqualTo("<p>sub index</p>");
        assertThat(file.contentType()).startsWith("text/html");
    }

    @Test
    void aFolderWithoutIndexIsNotFound() {
        assertThat(files.find("/static/empty")).isEmpty();
        assertThat(files.find("/static/empty/")).isEmpty();
    }

    @Test
    void pathsOutsideThePrefixAreNotServed() {
        assertThat(files.find("/hello.txt")).isEmpty();
        assertThat(files.find("/statichello.txt")).isEmpty();
        assertThat(files.find("/static-other/hello.txt")).isEmpty();
    }

    @Test
    void missingFileIsNotFound() {
        assertThat(files.find("/static/nothing.txt")).isEmpty();
        assertThat(files.find("/static/hello.txt/more")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/static/../secret.txt",
            "/static/sub/../../secret.txt",
            "/static/..",
            "/static/../",
            "/static/../root/hello.txt",
            "/static/./hello.txt",
            "/static/sub/./app.js",
            "/static//hello.txt",
            "/static/sub//app.js",
            "/static/..\\secret.txt",
            "/static/sub\\..\\..\\secret.txt",
            "/static/\\secret.txt",
            "/static/hello.txt\0.png",
            "/static/\0/../secret.txt"})
    void traversalAttemptsAreNotFound(String path) {
        assertThat(files.find(path)).isEmpty();
    }

    @Test
    void symbolicLinksLeadingOutOfTheRootAreNotFollowed() {
        assertThat(files.find("/static/leak.txt")).isEmpty();
        assertThat(files.find("/static/escape/secret.txt")).isEmpty();
        assertThat(files.find("/static/away")).isEmpty();
        assertThat(files.find("/static/away/")).isEmpty();
    }

    @Test
    void symbolicLinkInsideTheRootIsServed() {
        assertThat(text(files.find("/static/alias.txt"))).isEqualTo("hello");
    }

    @Test
    void rootPrefixServesEverything() {
        StaticFiles atRoot = StaticFiles.fromDirectory("/", root);

        assertThat(text(atRoot.find("/hello.txt"))).isEqualTo("hello");
        assertThat(text(atRoot.find("/"))).isEqualTo("<p>root index</p>");
        assertThat(atRoot.find("/../secret.txt")).isEmpty();
    }

    @Test
    void rootReachedThroughASymbolicLinkStillServes() throws IOException {
        Path link = Files.createSymbolicLink(temp.resolve("root-link"), root);

        assertThat(text(StaticFiles.fromDirectory("/s", link).find("/s/hello.txt"))).isEqualTo("hello");
    }

    @Test
    void badConfigurationIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> StaticFiles.fromDirectory("/s", temp.resolve("none")))
                .withMessage("no directory " + temp.resolve("none") + " for the static files under /s");
        assertThatIllegalArgumentException().isThrownBy(() -> StaticFiles.fromDirectory("static", root));
    }

    @Test
    void aMissingClasspathFolderIsRefusedWhenRegistered() {
        assertThatIllegalArgumentException().isThrownBy(() -> StaticFiles.fromClasspath("/assets", "pubilc"))
                .withMessage("no folder \"pubilc\" on the class path for the static files under /assets"
                        + " (in a Maven project it is src/main/resources/pubilc)");
    }

    // ---------------------------------------------------------------- classpath

    @Test
    void classpathFilesAreServedWithTypeAndValidators() {
        StaticFiles classpath = StaticFiles.fromClasspath("/assets", "public");

        StaticFiles.StaticFile css = classpath.find("/assets/css/site.css").orElseThrow();

        assertThat(css.contentType()).isEqualTo("text/css; charset=utf-8");
        assertThat(new String(css.content(), StandardCharsets.UTF_8)).contains("color");
        assertThat(css.etag()).matches("\"[0-9a-f]+-[0-9a-f]+\"");
        assertThat(css.lastModified()).isAfter(Instant.EPOCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/assets", "/assets/", "/assets/sub", "/assets/sub/"})
    void classpathFolderServesItsIndex(String path) {
        StaticFiles classpath = StaticFiles.fromClasspath("/assets", "/public/");

        assertThat(text(classpath.find(path))).contains("classpath").contains("index");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/assets/../templates/greeting.html",
            "/assets/../logback-test.xml",
            "/assets/css/../../logback-test.xml",
            "/assets/..\\logback-test.xml",
            "/assets//hello.txt",
            "/assets/./hello.txt",
            "/assets/hello.txt\0",
            "/assets/missing.txt",
            "/assets/css"})
    void classpathTraversalAndMissingFilesAreNotFound(String path) {
        assertThat(StaticFiles.fromClasspath("/assets", "public").find(path)).isEmpty();
    }

    @Test
    void classpathFilesInAJarServeFoldersByTheirIndex() throws IOException {
        Path jar = temp.resolve("site.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("web/"));
            out.putNextEntry(new JarEntry("web/docs/"));
            write(out, "web/docs/index.html", "<p>jar docs</p>");
            write(out, "web/docs/guide.txt", "guide");
            out.putNextEntry(new JarEntry("web/empty/"));
            write(out, "secret.txt", "secret");
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Thread.currentThread().setContextClassLoader(loader);
            StaticFiles inJar = StaticFiles.fromClasspath("/w", "web");

            assertThat(text(inJar.find("/w/docs/guide.txt"))).isEqualTo("guide");
            assertThat(text(inJar.find("/w/docs/"))).isEqualTo("<p>jar docs</p>");
            assertThat(text(inJar.find("/w/docs"))).isEqualTo("<p>jar docs</p>");
            assertThat(inJar.find("/w/empty")).isEmpty();
            assertThat(inJar.find("/w/../secret.txt")).isEmpty();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static void write(JarOutputStream jar, String name, String content) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        OutputStream out = jar;
        out.write(content.getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
    }

    private static String text(Optional<StaticFiles.StaticFile> file) {
        assertThat(file).isPresent();
        return new String(file.get().content(), StandardCharsets.UTF_8);
    }
}
