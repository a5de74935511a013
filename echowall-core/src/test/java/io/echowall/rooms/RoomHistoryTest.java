package io.echowall.rooms;

import io.echowall.Broker;
import io.echowall.Message;
import io.echowall.Position;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One room's positions, history and idempotency keys, on a manual clock. */
class RoomHistoryTest {

    private static final Duration AGE = Duration.ofMinutes(5);
    private final RoomHistory history = new RoomHistory("e1");
    private long now = 1_000;

    private Position append(String text, String key, int size) {
        return history.append(Message.text(text), key, size, AGE, now).position();
    }

    @Test
    void offsetsCountFromOneAndAnEmptyRoomIsAtZero() {
        assertThat(history.position()).isEqualTo(new Position("e1", 0));
        assertThat(history.read(0, 10, AGE, now)).isEqualTo(new Broker.Page("e1", 1, 0, List.of()));

        assertThat(append("a", null, 10)).isEqualTo(new Position("e1", 1));
        assertThat(append("b", null, 10)).isEqualTo(new Position("e1", 2));
        assertThat(history.position().offset()).isEqualTo(2);
    }

    @Test
    void pagesStartAfterTheOffsetAskedFor() {
        for (int i = 1; i <= 10; i++) {
            append("m" + i, null, 100);
        }
        Broker.Page page = history.read(4, 3, AGE, now);

        assertThat(page.messages()).extracting(Broker.Entry::offset).containsExactly(5L, 6L, 7L);
        assertThat(page.messages().get(0).message().text()).isEqualTo("m5");
        assertThat(page.oldest()).isEqualTo(1);
        assertThat(page.latest()).isEqualTo(10);
        assertThat(history.read(10, 3, AGE, now).messages()).isEmpty();
        assertThat(history.read(Long.MAX_VALUE, 0, AGE, now).latest()).isEqualTo(10);
    }

    @Test
    void theHistoryKeepsTheLatestWithinItsSizeAndAge() {
        for (int i = 1; i <= 10; i++) {
            append("m" + i, null, 4);
        }
        assertThat(history.read(0, 100, AGE, now).messages()).extracting(Broker.Entry::offset).containsExactly(7L, 8L, 9L, 10L);
        assertThat(history.read(0, 100, AGE, now).oldest()).isEqualTo(7);

        now += AGE.toNanos() + 1;
        append("fresh", null, 4);
        Broker.Page aged = history.read(0, 100, AGE, now);
        assertThat(aged.messages()).extracting(Broker.Entry::offset).containsExactly(11L);
        assertThat(aged.oldest()).isEqualTo(11);
    }

    @Test
    void withoutHistoryOffsetsStillCount() {
        append("a", null, 0);
        append("b", null, 0);
        Broker.Page page = history.read(0, 10, AGE, now);
        assertThat(page.messages()).isEmpty();
        assertThat(page.oldest()).isEqualTo(3);
        assertThat(page.latest()).isEqualTo(2);
    }

    @Test
    void aRepeatedKeyIsNotAppliedAgainWithinTheWindow() {
        RoomHistory.Appended first = history.append(Message.text("a"), "k", 10, AGE, now);
        RoomHistory.Appended again = history.append(Message.text("a"), "k", 10, AGE, now + 1);

        assertThat(first.applied()).isTrue();
        assertThat(again.applied()).isFalse();
        assertThat(again.position()).isEqualTo(first.position());
        assertThat(history.position().offset()).isEqualTo(1);

        now += Broker.DEDUPE_WINDOW.toNanos() + 10;
        assertThat(history.append(Message.text("a"), "k", 10, AGE, now).applied()).isTrue();
    }

    @Test
    void aSweptHistorySaysWhenNothingIsLeft() {
        append("a", "k", 10);
        assertThat(history.sweep(AGE, now)).isFalse();
        assertThat(history.sweep(AGE, now + AGE.toNanos() + Broker.DEDUPE_WINDOW.toNanos() + 1)).isTrue();
    }
}
