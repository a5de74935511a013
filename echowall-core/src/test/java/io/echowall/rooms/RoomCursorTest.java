package io.echowall.rooms;

import io.echowall.Broker;
import io.echowall.Message;
import io.echowall.Position;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A subscriber's place in a room: each offset written once, in order, whatever the timing. */
class RoomCursorTest {

    private static Position at(long offset) {
        return new Position("e", offset);
    }

    private static Broker.Entry entry(long offset) {
        return new Broker.Entry(offset, Message.text("m" + offset));
    }

    private static RoomCursor live(long offset) {
        RoomCursor cursor = new RoomCursor(at(offset), true);
        assertThat(cursor.finishCatchUp()).isTrue();
        return cursor;
    }

    @Test
    void aNewCursorCatchesUpFirstAndPassesOverLiveMessagesMeanwhile() {
        RoomCursor cursor = new RoomCursor(at(3), true);

        assertThat(cursor.live(at(4))).isEqualTo(RoomCursor.Live.SKIP);
        assertThat(cursor.live(at(5))).isEqualTo(RoomCursor.Live.SKIP);
        assertThat(cursor.finishCatchUp()).as("4 and 5 are not written yet").isFalse();
        assertThat(cursor.replayed(entry(4))).isTrue();
        assertThat(cursor.replayed(entry(5))).isTrue();
        assertThat(cursor.finishCatchUp()).isTrue();
        assertThat(cursor.live(at(6))).isEqualTo(RoomCursor.Live.WRITE);
        assertThat(cursor.position()).isEqualTo(at(6));
    }

    @Test
    void repeatsAreSkippedAndAGapStartsACatchUp() {
        RoomCursor cursor = live(0);

        assertThat(cursor.live(at(1))).isEqualTo(RoomCursor.Live.WRITE);
        assertThat(cursor.live(at(1))).isEqualTo(RoomCursor.Live.SKIP);
        assertThat(cursor.live(at(3))).isEqualTo(RoomCursor.Live.CATCH_UP);
        assertThat(cursor.catchingUp()).isTrue();
        assertThat(cursor.live(at(4))).isEqualTo(RoomCursor.Live.SKIP);
        assertThat(cursor.replayed(entry(3))).as("2 must come first").isFalse();
        assertThat(cursor.replayed(entry(2))).isTrue();
        assertThat(cursor.replayed(entry(3))).isTrue();
        assertThat(cursor.finishCatchUp()).isFalse();
        assertThat(cursor.replayed(entry(4))).isTrue();
        assertThat(cursor.finishCatchUp()).isTrue();
        assertThat(cursor.position()).isEqualTo(at(4));
    }

    @Test
    void withoutHistoryAGapIsJumped() {
        RoomCursor cursor = new RoomCursor(at(0), false);
        assertThat(cursor.live(at(2))).isEqualTo(RoomCursor.Live.SKIP);
        assertThat(cursor.finishCatchUp()).isTrue();

        assertThat(cursor.live(at(5))).isEqualTo(RoomCursor.Live.WRITE);
        assertThat(cursor.position()).isEqualTo(at(5));
    }

    @Test
    void aNewEpochStartsTheCountOver() {
        RoomCursor cursor = live(41);

        assertThat(cursor.live(new Position("f", 1))).isEqualTo(RoomCursor.Live.WRITE);
        assertThat(cursor.position()).isEqualTo(new Position("f", 1));
    }

    @Test
    void skippingToAPositionContinuesFromThere() {
        RoomCursor cursor = new RoomCursor(at(2), true);
        cursor.skipTo(at(10));

        assertThat(cursor.replayed(entry(11))).isTrue();
        assertThat(cursor.finishCatchUp()).isTrue();
        assertThat(cursor.announced()).isFalse();
        cursor.announce();
        assertThat(cursor.announced()).isTrue();
    }
}
