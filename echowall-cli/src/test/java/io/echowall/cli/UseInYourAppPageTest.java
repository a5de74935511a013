package io.echowall.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The versions docs/howto/use-in-your-app.md writes in its Maven and Gradle lines are this build's:
 * the ones {@code echowall new} writes into a project (starter.properties, filled in by the build).
 */
class UseInYourAppPageTest {

    @Test
    void thePageNamesTheVersionsThisBuildUses() throws IOException {
        String page = Files.readString(repositoryRoot().resolve("docs/howto/use-in-your-app.md"), StandardCharsets.UTF_8);
        var versions = new Properties();
        try (InputStream in = NewProject.class.getResourceAsStream("starter.properties")) {
            versions.load(in);
        }

        assertThat(found(page, "<artifactId>echowall-bom</artifactId>\\s*<version>([^<]+)</version>",
                "\"io\\.echowall:echowall-bom:([^\"]+)\""))
                .hasSize(2).containsOnly(versions.getProperty("echowall.version"));
        assertThat(found(page, "<artifactId>logback-classic</artifactId>\\s*<version>([^<]+)</version>",
                "\"ch\\.qos\\.logback:logback-classic:([^\"]+)\""))
                .hasSize(2).containsOnly(versions.getProperty("logback.version"));
        assertThat(found(page, "\"org\\.junit\\.jupiter:junit-jupiter:([^\"]+)\""))
                .hasSize(1).containsOnly(versions.getProperty("junit.version"));
    }

    /** The first group of every match of each pattern in {@code text}. */
    private static List<String> found(String text, String... patterns) {
        List<String> values = new ArrayList<>();
        for (String pattern : patterns) {
            Matcher m = Pattern.compile(pattern).matcher(text);
            while (m.find()) {
                values.add(m.group(1));
            }
        }
        return values;
    }

    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("mvnw")) && Files.isDirectory(d.resolve("docs"))) {
                return d;
            }
        }
        throw new IllegalStateException("no mvnw and docs/ above " + Path.of("").toAbsolutePath());
    }
}
