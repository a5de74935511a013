package io.echowall.conformance;

/**
 * How many cases ended in each outcome.
 *
 * @param total       cases run
 * @param pass        cases that passed
 * @param nonStrict   cases where the server was allowed but not strict
 * @param fail        cases that failed
 * @param unsupported cases for features the server does not offer
 */
public record Counts(int total, int pass, int nonStrict, int fail, int unsupported) {
}
