package io.echowall.conformance;

/** How a server did on one case. */
public enum Outcome {
    /** The server did what the RFC requires, the strict way. */
    PASS("PASS"),
    /** The server did what the RFC allows, but weaker than best practice (e.g. the right close code, late). */
    NON_STRICT("NON-STRICT"),
    /** The server broke the RFC, or stopped serving after the case. */
    FAIL("FAIL"),
    /** The server does not offer the feature the case tests (e.g. permessage-deflate). */
    UNSUPPORTED("UNSUPPORTED");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    /** The label used in reports and the summary line. */
    public String label() {
        return label;
    }
}
