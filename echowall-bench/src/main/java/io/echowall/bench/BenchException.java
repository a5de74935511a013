package io.echowall.bench;

/** A problem that stops a bench run before it can produce a result; its message is meant for the user. */
final class BenchException extends RuntimeException {
    /** Exit status for a bad setting or an environment that cannot run the benchmark asked for. */
    static final int SETUP = 2;
    /** Exit status for a run that started but could not finish (the server refused connections, say). */
    static final int RUN = 1;

    private final int exitCode;

    BenchException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
