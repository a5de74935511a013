package io.echowall.external;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ExternalProgramsTest {

    private static final String VARIABLE = "ECHOWALL_REQUIRE_SOMETHING";

    @TempDir
    Path dir;

    @Test
    void aMissingProgramSkipsTheTestWithTheGivenMessage() {
        assertThatThrownBy(() -> ExternalPrograms.at(dir.resolve("absent"), VARIABLE, "absent not found", Map.<String, String>of()::get))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("absent not found")
                .hasMessageContaining(VARIABLE + "=1");
    }

    @Test
    void aMissingProgramFailsTheTestWhenTheVariableRequiresIt() {
        assertThatThrownBy(() -> ExternalPrograms.at(dir.resolve("absent"), VARIABLE, "absent not found", Map.of(VARIABLE, "1")::get))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("absent not found");
    }

    @Test
    void onlyTheValueOneRequiresTheProgram() {
        assertThatThrownBy(() -> ExternalPrograms.at(dir.resolve("absent"), VARIABLE, "absent not found", Map.of(VARIABLE, "0")::get))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void aFileThatIsNotExecutableCountsAsMissing() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain"), "not a program");
        assertThatThrownBy(() -> ExternalPrograms.at(plain, VARIABLE, "plain not found", Map.<String, String>of()::get))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void anExecutableIsFoundAtItsPathAndOnThePath() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path program = Files.writeString(bin.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(ExternalPrograms.at(program, VARIABLE, "tool not found", Map.of(VARIABLE, "1")::get)).isEqualTo(program);
        String searchPath = dir.resolve("elsewhere") + File.pathSeparator + File.pathSeparator + bin;
        assertThat(ExternalPrograms.onPath("tool", searchPath, VARIABLE, "tool not found", Map.of(VARIABLE, "1")::get))
                .isEqualTo(program);
        assertThatThrownBy(() -> ExternalPrograms.onPath("other", searchPath, VARIABLE, "other not found", Map.of(VARIABLE, "1")::get))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("other not found");
    }
}
