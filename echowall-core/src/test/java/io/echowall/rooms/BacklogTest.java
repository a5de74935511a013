package io.echowall.rooms;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BacklogTest {

    private final List<String> discarded = new ArrayList<>();
    private final Backlog<String> backlog = new Backlog<>(String::length, discarded::add);

    private List<String> drain() {
        List<String> out = new ArrayList<>();
        for (String s; (s = backlog.poll()) != null; ) {
            out.add(s);
        }
        return out;
    }

    @Test
    void theOldestGoWhenMoreThanTheLimitWaitsButTheNewestStays() {
        assertThat(backlog.add("aaaa", null, 10)).isZero();
        assertThat(backlog.add("bbbb", null, 10)).isZero();
        assertThat(backlog.add("cccc", null, 10)).isEqualTo(1);
        assertThat(discarded).containsExactly("aaaa");
        assertThat(backlog.add("a message larger than the limit", null, 10)).isEqualTo(2);
        assertThat(drain()).containsExactly("a message larger than the limit");
        assertThat(discarded).containsExactly("aaaa", "bbbb", "cccc");
    }

    @Test
    void aKeyedMessageReplacesTheWaitingOneWithItsKeyInItsPlace() {
        backlog.add("BTC=1", "BTC", 100);
        backlog.add("ETH=1", "ETH", 100);
        assertThat(backlog.add("BTC=2", "BTC", 100)).isEqualTo(1);
        backlog.add("note", null, 100);
        backlog.add("note", null, 100);
        assertThat(drain()).containsExactly("BTC=2", "ETH=1", "note", "note");
        assertThat(discarded).containsExactly("BTC=1");
    }

    @Test
    void aKeyIsFreeAgainOnceItsMessageLeft() {
        backlog.add("BTC=1", "BTC", 100);
        assertThat(backlog.poll()).isEqualTo("BTC=1");
        backlog.add("BTC=2", "BTC", 100);
        assertThat(drain()).containsExactly("BTC=2");
        assertThat(discarded).isEmpty();
    }

    @Test
    void clearingDiscardsEverything() {
        backlog.add("a", null, 100);
        backlog.add("b", "k", 100);
        backlog.clear();
        assertThat(backlog.isEmpty()).isTrue();
        assertThat(discarded).containsExactly("a", "b");
    }
}
