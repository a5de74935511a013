package io.echowall.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceTrackerTest {

    @Test
    void placesGapsLateArrivalsAndRepeats() {
        SequenceTracker tracker = new SequenceTracker();
        assertThat(tracker.place(0)).isEqualTo(Placement.IN_ORDER);
        assertThat(tracker.place(0)).isEqualTo(Placement.DUPLICATE);
        assertThat(tracker.place(3)).isEqualTo(Placement.AHEAD);
        assertThat(tracker.nextExpected()).isEqualTo(4);
        assertThat(tracker.place(2)).isEqualTo(Placement.LATE);
        assertThat(tracker.place(2)).isEqualTo(Placement.DUPLICATE);
        assertThat(tracker.place(4)).isEqualTo(Placement.IN_ORDER);
        assertThat(tracker.place(1)).isEqualTo(Placement.LATE);
    }

    @Test
    void remembersABoundedNumberOfSkippedMessages() {
        SequenceTracker tracker = new SequenceTracker();
        assertThat(tracker.place(1_000_000)).isEqualTo(Placement.AHEAD);
        assertThat(tracker.place(SequenceTracker.MAX_SKIPPED - 1)).isEqualTo(Placement.LATE);
        assertThat(tracker.place(SequenceTracker.MAX_SKIPPED)).as("beyond what is remembered").isEqualTo(Placement.DUPLICATE);
    }
}
