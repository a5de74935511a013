package io.echowall.conformance;

/**
 * What a case concluded, before the liveness check.
 *
 * @param outcome the outcome
 * @param reason  expected versus observed; empty for a pass
 */
record Verdict(Outcome outcome, String reason) {

    static Verdict pass() {
        return new Verdict(Outcome.PASS, "");
    }

    static Verdict nonStrict(String reason) {
        return new Verdict(Outcome.NON_STRICT, reason);
    }

    static Verdict fail(String reason) {
        return new Verdict(Outcome.FAIL, reason);
    }

    static Verdict unsupported(String reason) {
        return new Verdict(Outcome.UNSUPPORTED, reason);
    }

    /** This verdict as an exception, to end a case from inside a helper. */
    VerdictException raise() {
        return new VerdictException(this);
    }
}
