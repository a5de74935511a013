package io.echowall.bench;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What the client modes share: the connection options, the output streams and the exit status:
 * 0 when the run found no error, 1 when it did (or could not finish), 2 for a bad setting.
 */
abstract class ModeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 99, description = "Show this help.")
    boolean help;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return execute(out, connection.progress ? Progress.overwriting(err) : Progress.SILENT);
        } catch (BenchException e) {
            err.println();
            err.println("bench " + spec.name() + ": " + e.getMessage());
            err.flush();
            return e.exitCode();
        }
    }

    /** Runs the mode, prints its result on {@code out} and returns the exit status. */
    abstract int execute(PrintWriter out, Progress progress);
}
