package io.echowall.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java examples of the pages about RedisBroker compile against this module, so the docs cannot
 * drift from its API (echowall-testing's docs test compiles every other page, but cannot see this module).
 */
@Timeout(60)
class DocsExampleTest {

    private static final Pattern JAVA = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS = Pattern.compile("public (?:final )?class (\\w+)");

    @Test
    void theHowToExampleCompiles() throws IOException {
        Path page = root().resolve("docs/howto/run-several-servers.md");
        List<String> examples = new ArrayList<>();
        Matcher m = JAVA.matcher(Files.readString(page));
        while (m.find()) {
            examples.add(m.group(1));
        }
        assertThat(examples).as("Java examples in %s", page).isNotEmpty();
        Path out = Files.createTempDirectory("echowall-redis-docs");
        for (String example : examples) {
            Matcher name = CLASS.matcher(example);
            assertThat(name.find()).as("the example declares a public class:%n%s", example).isTrue();
            Path source = out.resolve(name.group(1) + ".java");
            Files.writeString(source, example);
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int status = ToolProvider.getSystemJavaCompiler().run(null, null, errors, "--release", "21",
                    "-cp", System.getProperty("java.class.path"), "-d", out.toString(), source.toString());
            assertThat(status).as("%s does not compile:%n%s", page, errors).isZero();
        }
    }

    /** The repository's root: the nearest directory up from here that has docs/. */
    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs/howto"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docs/ above " + Path.of("").toAbsolutePath());
    }
}
