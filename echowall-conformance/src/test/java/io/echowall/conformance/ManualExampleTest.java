package io.echowall.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java example of the suite's manual (docs/reference/conformance.md), read from the page and
 * compiled against the suite, so that the manual cannot drift from the API. (The docs examples of the
 * framework are compiled by echowall-testing, which cannot see this module.)
 */
@Timeout(60)
class ManualExampleTest {

    private static final String WRAPPER = """
            package io.echowall.conformance;

            import java.net.URI;
            import java.nio.file.Path;

            import static org.assertj.core.api.Assertions.assertThat;

            final class ManualExample {
                static void run(int port) throws Exception {
            %s
                }
            }
            """;

    @Test
    void theManualsExampleCompilesAgainstTheSuite(@org.junit.jupiter.api.io.TempDir Path work) throws IOException {
        Path page = repositoryRoot().resolve("docs/reference/conformance.md");
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(page));
        assertThat(block.find()).as("a java block in " + page).isTrue();
        Path source = work.resolve("io/echowall/conformance/ManualExample.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, WRAPPER.formatted(block.group(1)));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, null, errors, "--release", "21", "-proc:none", "-d", work.toString(),
                "-cp", System.getProperty("java.class.path"), source.toString());
        assertThat(status).as(page + ":\n" + errors.toString(StandardCharsets.UTF_8)).isZero();
    }

    /** The checkout's root: the nearest directory up from this module that holds README.md and docs/. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no README.md and docs/ above " + Path.of("").toAbsolutePath());
    }
}
