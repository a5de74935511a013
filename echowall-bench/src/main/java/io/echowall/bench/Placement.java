package io.echowall.bench;

/** Where a received message falls in the sequence of the sender it names. */
enum Placement {
    /** The next message expected. */
    IN_ORDER,
    /** A later message than expected: the ones skipped are lost, or late. */
    AHEAD,
    /** A message skipped earlier, arriving late: a reordering. */
    LATE,
    /** A message received before: a duplication. */
    DUPLICATE,
    /** A payload that names no message its sender has sent: corruption. */
    UNIDENTIFIED
}
