package io.echowall.conformance;

/**
 * One case of the suite.
 *
 * @param id          dotted id, numbered like Autobahn's where a family matches
 * @param family      the family
 * @param description what is sent and what the RFC requires back, for the report
 * @param body        the case itself
 */
record ConformanceCase(String id, Family family, String description, Body body) {

    /** Runs the case against a server and returns its verdict. */
    @FunctionalInterface
    interface Body {
        Verdict run(CaseRun run) throws Exception;
    }
}
