package io.echowall.conformance;

import java.time.Duration;

/**
 * The result of one case.
 *
 * @param id          the case id, e.g. "6.4.1.3"
 * @param family      the family it belongs to
 * @param description what the case sends and expects
 * @param outcome     how the server did
 * @param reason      for anything but PASS: expected versus observed; empty for PASS
 * @param elapsed     how long the case and its liveness check took
 */
public record CaseResult(String id, Family family, String description, Outcome outcome, String reason, Duration elapsed) {
}
