package io.echowall.conformance;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * The close a case requires from a server that must fail the connection.
 *
 * @param pass               codes that pass
 * @param nonStrict          codes the RFC allows but that are less precise
 * @param otherCodesAllowed  true when the RFC names no code, so any other close is NON-STRICT rather than FAIL
 * @param rule               the RFC rule the server must follow, for the report
 */
record CloseRule(Set<Integer> pass, Set<Integer> nonStrict, boolean otherCodesAllowed, String rule) {

    CloseRule(Set<Integer> pass, Set<Integer> nonStrict, String rule) {
        this(pass, nonStrict, false, rule);
    }

    static CloseRule protocolError(String rule) {
        return new CloseRule(Set.of(CloseCodes.PROTOCOL_ERROR), Set.of(), rule);
    }

    static CloseRule invalidPayload(String rule) {
        return new CloseRule(Set.of(CloseCodes.INVALID_PAYLOAD), Set.of(), rule);
    }

    static CloseRule tooBig(String rule) {
        return new CloseRule(Set.of(CloseCodes.MESSAGE_TOO_BIG), Set.of(), rule);
    }

    boolean allowsLoosely(int code) {
        return nonStrict.contains(code) || otherCodesAllowed;
    }

    String expected() {
        return "close " + pass.stream().sorted().map(String::valueOf).collect(Collectors.joining(" or ")) + " (" + rule + ")";
    }
}
