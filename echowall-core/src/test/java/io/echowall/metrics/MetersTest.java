package io.echowall.metrics;

import io.echowall.CloseStatus;
import io.echowall.RoomOptions;
import io.echowall.rooms.TestSeats;
import io.echowall.websocket.Closes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The meters' labels stay within small fixed sets, whatever clients send, and the meters' lifecycle. */
class MetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Meters meters = Meters.of(registry);

    @Test
    void closeCodesAreLabelledByNumberOnlyWhenRegistered() {
        assertThat(Labels.closeCode(1000)).isEqualTo("1000");
        assertThat(Labels.closeCode(1015)).isEqualTo("1015");
        assertThat(Labels.closeCode(1004)).isEqualTo("other"); // reserved, never registered
        assertThat(Labels.closeCode(3000)).isEqualTo("3xxx");
        assertThat(Labels.closeCode(3999)).isEqualTo("3xxx");
        assertThat(Labels.closeCode(4000)).isEqualTo("4xxx");
        assertThat(Labels.closeCode(4999)).isEqualTo("4xxx");
        assertThat(Labels.closeCode(999)).isEqualTo("other");
        assertThat(Labels.closeCode(5000)).isEqualTo("other");
    }

    @Test
    void everyPossibleCloseCodeMakesAtMostEighteenSeries() {
        WebSocketMeters ws = meters.webSocket("/chat");
        for (int code = 0; code <= 65535; code++) {
            ws.opened();
            ws.closed(new CloseStatus(code, ""), null);
        }
        // The 15 registered codes (1000-1003, 1005-1015), 3xxx, 4xxx and other.
        assertThat(registry.find("echowall.websocket.closes").counters()).hasSize(18);
        assertThat(registry.get("echowall.websocket.closes").tag("code", "4xxx").counter().count()).isEqualTo(1000);
    }

    @Test
    void handshakeOutcomesAreAFixedSetAndRefusalsMapOntoThem() {
        assertThat(HandshakeOutcome.refusedWith(426)).isEqualTo(HandshakeOutcome.WRONG_VERSION);
        assertThat(HandshakeOutcome.refusedWith(403)).isEqualTo(HandshakeOutcome.FORBIDDEN_ORIGIN);
        assertThat(HandshakeOutcome.refusedWith(400)).isEqualTo(HandshakeOutcome.BAD_REQUEST);
        for (int i = 0; i < 3; i++) {
            for (HandshakeOutcome outcome : HandshakeOutcome.values()) {
                meters.handshake("/chat/{room}", outcome);
            }
        }
        assertThat(registry.find("echowall.websocket.handshakes").counters())
                .hasSize(HandshakeOutcome.values().length)
                .allSatisfy(c -> assertThat(c.count()).isEqualTo(3))
                .extracting(c -> c.getId().getTag("outcome"))
                .contains("accepted", "limited", "abandoned");
    }

    @Test
    void withoutARegistryEveryCallIsANoOpThatFailsNothing() {
        int before = registry.getMeters().size();
        Meters none = Meters.of(null);
        none.watch(List.of(), Set.of(), TestSeats.hub());
        WebSocketMeters ws = none.webSocket("/chat");
        ws.opened();
        ws.received(10);
        ws.sent(10);
        ws.closed(new CloseStatus(1000, ""), null);
        none.httpResponse("GET", "/", 200, System.nanoTime());
        none.handshake("/chat", HandshakeOutcome.ACCEPTED);
        none.close();
        assertThat(registry.getMeters()).hasSize(before); // the meters went to a registry that denies them all
    }

    @Test
    void inventedMethodsShareOneLabel() {
        for (int i = 0; i < 1000; i++) {
            meters.httpResponse("BREW" + i, "/pot", 418, System.nanoTime());
        }
        meters.httpResponse("GET", "/pot", 200, System.nanoTime());
        assertThat(registry.find("echowall.http.requests").timers())
                .extracting(t -> t.getId().getTag("method"))
                .containsExactlyInAnyOrder("OTHER", "GET");
        assertThat(registry.get("echowall.http.requests").tag("method", "OTHER").timer().count()).isEqualTo(1000);
    }

    @Test
    void slowClosesAreToldByTheCloseThisSideChose() {
        WebSocketMeters ws = meters.webSocket("/ticker");
        ws.opened();
        ws.closed(new CloseStatus(1008, "peer too slow to read"), Closes.SLOW_PEER); // the peer echoed it
        ws.opened();
        ws.closed(Closes.TOO_SLOW_FOR_ROOM, Closes.TOO_SLOW_FOR_ROOM);
        ws.opened();
        ws.closed(new CloseStatus(1008, "peer too slow to read"), null); // the peer's own 1008: not ours
        assertThat(slowCloses("peer_too_slow")).isEqualTo(1);
        assertThat(slowCloses("too_slow_for_room")).isEqualTo(1);
        assertThat(registry.get("echowall.websocket.closes").tag("code", "1008").counter().count()).isEqualTo(3);
    }

    private double slowCloses(String reason) {
        return registry.get("echowall.websocket.slow.closes").tags("route", "/ticker", "reason", reason).counter().count();
    }

    @Test
    void roomDropsAreCountedByPolicyWithoutTheRoomsName() {
        WebSocketMeters ws = meters.webSocket("/ticker");
        ws.roomMessagesDropped(RoomOptions.SlowConsumer.DROP_OLDEST, 3);
        ws.roomMessagesDropped(RoomOptions.SlowConsumer.KEEP_LATEST, 2);
        ws.roomMessagesDropped(RoomOptions.SlowConsumer.KEEP_LATEST, 0);
        assertThat(registry.get("echowall.rooms.dropped").tag("policy", "drop_oldest").counter().count()).isEqualTo(3);
        assertThat(registry.get("echowall.rooms.dropped").tag("policy", "keep_latest").counter().count()).isEqualTo(2);
        assertThat(registry.get("echowall.rooms.dropped").meters()).allSatisfy(m ->
                assertThat(m.getId().getTags()).extracting(t -> t.getKey()).containsExactly("policy"));
    }

    @Test
    void gaugesLeaveWhenTheServerStopsAndCountersStay() {
        meters.watch(List.of(), Set.of(), TestSeats.hub());
        meters.webSocket("/chat").received(5);
        assertThat(registry.find("echowall.connections").gauge()).isNotNull();
        assertThat(registry.find("echowall.websocket.connections").gauge()).isNotNull();

        meters.close();

        assertThat(registry.find("echowall.connections").gauge()).isNull();
        assertThat(registry.find("echowall.websocket.connections").gauge()).isNull();
        assertThat(registry.get("echowall.websocket.received.bytes").counter().count()).isEqualTo(5);
        Meters again = Meters.of(registry); // the app started again: the same counters go on
        again.webSocket("/chat").received(2);
        assertThat(registry.get("echowall.websocket.received.bytes").counter().count()).isEqualTo(7);
    }
}
