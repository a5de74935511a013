package io.echowall.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code bench} command: a WebSocket load generator with five modes ({@code echo},
 * {@code rate}, {@code connect}, {@code idle}, {@code fanout}) and a minimal server ({@code reflect}) for measuring
 * the generator itself. Each mode prints a table and one {@code RESULT {json}} line on stdout, a
 * progress line on stderr, and exits with 0 when the run found no error, 1 when it did, 2 for a
 * bad setting.
 *
 * <p>Mount it as a subcommand of another picocli command, or run it alone through {@link #main}.
 */
@Command(name = "bench", usageHelpAutoWidth = true,
        header = "Load-test a WebSocket echo or fan-out, checking every message.",
        description = "Each mode prints a table and one RESULT line of JSON on stdout, and exits with 0 when "
                + "the run found no error, 1 when it did, 2 for a bad setting. See docs/reference/bench.md.",
        subcommands = {EchoCommand.class, RateCommand.class, ConnectCommand.class, IdleCommand.class, FanoutCommand.class,
            ReflectCommand.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    /** Creates the command; picocli fills it in. */
    public BenchCommand() {
    }

    /** Without a mode there is nothing to run: explains that, with the usage. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a mode: echo, rate, connect, idle, fanout or reflect");
    }

    /**
     * Runs {@code bench} on its own: {@code java -cp ... io.echowall.bench.BenchCommand echo --url ...}.
     *
     * @param args the mode and its options
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
