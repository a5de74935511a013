package io.echowall.conformance;

/** Ends a case early with a verdict, thrown by the judging helpers in {@link CaseRun}. */
final class VerdictException extends RuntimeException {

    private final transient Verdict verdict;

    VerdictException(Verdict verdict) {
        super(verdict.outcome() + ": " + verdict.reason(), null, false, false);
        this.verdict = verdict;
    }

    Verdict verdict() {
        return verdict;
    }
}
