package io.echowall.external;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Finds the programs that interoperability and deployment tests drive (Chromium, Node, nginx,
 * systemd-analyze), and applies the one rule for a missing program: the test is skipped, with a
 * message saying what to install, unless the environment variable that requires the program is
 * {@code 1}, in which case the test fails. CI installs the programs and sets the variables, so a
 * missing program can never pass CI silently. Other modules' tests get this class from echowall-core's
 * test jar.
 */
public final class ExternalPrograms {

    /** Set to {@code 1} to make a missing Chromium a failure. */
    public static final String REQUIRE_BROWSER = "ECHOWALL_REQUIRE_BROWSER";
    /** Set to {@code 1} to make a missing {@code node} or {@code npm} a failure. */
    public static final String REQUIRE_NODE = "ECHOWALL_REQUIRE_NODE";
    /** Set to {@code 1} to make a missing {@code nginx} or {@code systemd-analyze} a failure. */
    public static final String REQUIRE_DEPLOY_TOOLS = "ECHOWALL_REQUIRE_DEPLOY_TOOLS";

    private ExternalPrograms() {
    }

    /** Debian's Chromium at {@code /usr/bin/chromium}; skips or fails the test when it is missing. */
    public static Path chromium() {
        return at(Path.of("/usr/bin/chromium"), REQUIRE_BROWSER,
                "Chromium not found at /usr/bin/chromium; install it to run the browser test", System::getenv);
    }

    /** {@code name} (such as {@code node}) on the PATH; skips or fails the test when it is missing. */
    public static Path onPath(String name, String requireVariable, String missingMessage) {
        return onPath(name, System.getenv("PATH"), requireVariable, missingMessage, System::getenv);
    }

    /** The executable at {@code path}, or the rule for a missing program, with {@code env} as the environment. */
    public static Path at(Path path, String requireVariable, String missingMessage, UnaryOperator<String> env) {
        if (Files.isRegularFile(path) && Files.isExecutable(path)) {
            return path;
        }
        throw missing(requireVariable, missingMessage, env);
    }

    /** The executable {@code name} in the directories of {@code searchPath}, or the rule for a missing program. */
    public static Path onPath(String name, String searchPath, String requireVariable, String missingMessage,
                       UnaryOperator<String> env) {
        if (searchPath != null) {
            for (String directory : searchPath.split(File.pathSeparator)) {
                if (directory.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(directory, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw missing(requireVariable, missingMessage, env);
    }

    /** Fails when {@code requireVariable} is 1 in {@code env}, else aborts (skips) the test. */
    private static RuntimeException missing(String requireVariable, String missingMessage, UnaryOperator<String> env) {
        if ("1".equals(env.apply(requireVariable))) {
            return Assertions.fail(missingMessage + " (" + requireVariable + "=1 requires it)");
        }
        String skipped = missingMessage + " (set " + requireVariable + "=1 to make this a failure)";
        System.err.println("SKIPPED: " + skipped); // Surefire counts skipped tests but does not say why
        return Assumptions.abort(skipped);
    }
}
