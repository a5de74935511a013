package io.echowall.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The Node interop client's dependencies: pinned exactly, locked, and with no registry named. */
@Timeout(10)
class InteropLockfileTest {

    private static final Path INTEROP = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("interop");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void wsIsPinnedToOneVersionAndLockedAtIt() throws Exception {
        JsonNode manifest = JSON.readTree(INTEROP.resolve("package.json").toFile());
        JsonNode lock = JSON.readTree(INTEROP.resolve("package-lock.json").toFile());

        String pinned = manifest.path("dependencies").path("ws").asText();
        assertThat(pinned).as("ws's version in package.json").matches("\\d+\\.\\d+\\.\\d+");
        assertThat(lock.path("packages").path("node_modules/ws").path("version").asText()).isEqualTo(pinned);
        assertThat(lock.path("packages").path("node_modules/ws").path("integrity").asText()).startsWith("sha512-");
    }

    @Test
    void theLockfileNamesNoRegistry() throws Exception {
        String lock = Files.readString(INTEROP.resolve("package-lock.json"), StandardCharsets.UTF_8);

        assertThat(lock).doesNotContain("\"resolved\"").doesNotContain("://");
    }
}
