package io.echowall.bench;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code bench} as a user would, capturing its exit status and output. */
record Cli(int exitCode, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(new BenchCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Cli(exitCode, out.toString(), err.toString());
    }

    /** The RESULT line's JSON. */
    String resultJson() {
        return out.lines().filter(line -> line.startsWith("RESULT {")).findFirst()
                .orElseThrow(() -> new AssertionError("no RESULT line in:\n" + out + "\nstderr:\n" + err))
                .substring("RESULT ".length());
    }

    /** A whole-number field of the RESULT line, found by its (unique) key. */
    long resultNumber(String key) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?\\d+)").matcher(resultJson());
        if (!matcher.find()) {
            throw new AssertionError("no numeric \"" + key + "\" in " + resultJson());
        }
        return Long.parseLong(matcher.group(1));
    }
}
