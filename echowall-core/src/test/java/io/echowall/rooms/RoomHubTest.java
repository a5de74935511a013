package io.echowall.rooms;

import io.echowall.Message;
import io.echowall.Position;
import io.echowall.PresenceEvent;
import io.echowall.RoomOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Rooms on one server, with the in-memory broker and a fan-out that records what it is asked to write. */
@Timeout(10)
class RoomHubTest {

    private static final Duration GRACE = Duration.ofMillis(200);

    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<PresenceEvent> presence = new CopyOnWriteArrayList<>();
    private final RoomOptionsTable options = new RoomOptionsTable();
    private final RoomHub hub = new RoomHub(new LocalBroker(), GRACE, new Fanout() {
        @Override
        public void deliver(Room room, Position position, Message message, Member except) {
            for (Object lane : room.lanes()) {
                for (Member member : room.membersOn(lane)) {
                    if (member != except) {
                        delivered.add(member + " <- " + message.text());
                    }
                }
            }
        }

        @Override
        public void tell(Room room, String text) {
            delivered.add(room.name() + " told " + text);
        }
    }, options);

    /** A member on one of two lanes, named for the assertions. */
    private record Named(String name, String lane) implements Member {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The seat of a connection whose user the app named {@code name}. */
    private Seat seat(String name, String lane) {
        Seat seat = new Seat(hub, new Named(name, lane), "c-" + name);
        seat.user(name);
        return seat;
    }

    @BeforeEach
    void open() {
        hub.onPresence(presence::add);
        hub.open();
    }

    @AfterEach
    void close() {
        hub.close();
    }

    @Test
    void aPublicationReachesEveryMemberOnEveryLaneButThePublisher() {
        Seat ada = seat("ada", "loop1");
        Seat bob = seat("bob", "loop2");
        Seat cy = seat("cy", "loop1");
        ada.join("lobby");
        bob.join("lobby");
        cy.join("elsewhere");
        ada.publish("lobby", Message.text("hi"));
        assertThat(delivered).containsExactly("bob <- hi");
        hub.publish("lobby", Message.text("all"));
        assertThat(delivered).contains("ada <- all", "bob <- all").doesNotContain("cy <- all");
    }

    @Test
    void roomsMembershipsAndPublicationsAreCountedForTheMeters() {
        Seat ada = seat("ada", "loop1");
        Seat bob = seat("bob", "loop2");
        ada.join("lobby");
        ada.join("lobby"); // joined already: not a second membership
        ada.join("news");
        bob.join("lobby");
        assertThat(hub.roomCount()).isEqualTo(2);
        assertThat(hub.memberCount()).isEqualTo(3);
        ada.publish("lobby", Message.text("hi"));
        hub.publish("nobody-here", Message.text("echo?"));
        assertThat(hub.publishedCount()).isEqualTo(2);
        ada.leaveAll();
        bob.leave("lobby");
        bob.leave("lobby");
        assertThat(hub.roomCount()).isZero();
        assertThat(hub.memberCount()).isZero();
    }

    @Test
    void aMemberThatLeftOrWentIsNoLongerWrittenTo() {
        Seat ada = seat("ada", "loop1");
        Seat bob = seat("bob", "loop1");
        ada.join("lobby");
        bob.join("lobby");
        bob.leave("lobby");
        hub.publish("lobby", Message.text("one"));
        ada.leaveAll();
        ada.join("lobby"); // a connection that is gone joins nothing
        hub.publish("lobby", Message.text("two"));
        assertThat(delivered).containsExactly("ada <- one");
        assertThat(ada.rooms()).isEmpty();
    }

    @Test
    void presenceIsPerUserAndALeaveWaitsForTheGracePeriod() {
        Seat tab1 = new Seat(hub, new Named("tab1", "loop1"), "t1");
        Seat tab2 = new Seat(hub, new Named("tab2", "loop2"), "t2");
        tab1.user("ada");
        tab2.user("ada");
        tab1.join("lobby");
        tab2.join("lobby");
        await().until(() -> presence.size() == 1);
        assertThat(presence).containsExactly(new PresenceEvent("lobby", "ada", true));
        assertThat(hub.users("lobby")).isEqualTo(1);
        tab1.leaveAll();
        tab2.leaveAll();
        assertThat(hub.users("lobby")).as("still present during the grace period").isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> presence.size() == 2);
        assertThat(presence.get(1)).isEqualTo(new PresenceEvent("lobby", "ada", false));
        assertThat(hub.users("lobby")).isZero();
    }

    /**
     * Unnamed, a connection is a user of its own, named by its id and its server's, so that connections
     * of the same id on two servers are two users; it leaves at once, as nothing can come back as it.
     */
    @Test
    void anUnnamedConnectionIsAUserOfItsOwnAndLeavesWithoutAGracePeriod() {
        RoomHub otherServer = new RoomHub(new LocalBroker(), GRACE, Fanout.NOWHERE, options);
        assertThat(new Seat(hub, new Named("x", "loop1"), "7").user())
                .isEqualTo("7@" + hub.id())
                .isNotEqualTo(new Seat(otherServer, new Named("y", "loop1"), "7").user());

        Seat anonymous = new Seat(hub, new Named("anonymous", "loop1"), "7");
        anonymous.join("lobby");
        assertThat(hub.users("lobby")).isEqualTo(1);
        anonymous.leaveAll();
        assertThat(hub.users("lobby")).as("gone with its last connection").isZero();
        await().until(() -> presence.size() == 2);
        assertThat(presence).containsExactly(new PresenceEvent("lobby", "7@" + hub.id(), true),
                new PresenceEvent("lobby", "7@" + hub.id(), false));
    }

    @Test
    void aUserBackWithinTheGracePeriodNeverLeft() {
        Seat first = seat("ada", "loop1");
        first.join("lobby");
        first.leaveAll();
        Seat reloaded = seat("ada", "loop1");
        reloaded.join("lobby");
        await().during(GRACE.multipliedBy(2)).atMost(Duration.ofSeconds(5))
                .until(() -> presence.size() == 1);
        assertThat(presence).containsExactly(new PresenceEvent("lobby", "ada", true));
    }

    /**
     * Leaves fall due together when many users go at once; one who comes back and goes again leaves
     * once, a grace period after going again, and the one who stays back never leaves.
     */
    @Test
    void manyLeavesAtOnceAndAUserBackThenGoneAgainLeaveOnceEach() {
        List<Seat> seats = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            seats.add(seat("u" + i, i % 2 == 0 ? "loop1" : "loop2"));
            seats.get(i).join("crowd");
        }
        await().until(() -> presence.size() == 200);
        seats.forEach(Seat::leaveAll);
        Seat back = seat("u0", "loop1");
        back.join("crowd"); // u0 is back within the grace period
        back.leaveAll(); // and gone again: its leave is due a grace period from now
        Seat stays = seat("u1", "loop2");
        stays.join("crowd");
        await().atMost(Duration.ofSeconds(5)).until(() -> presence.size() == 200 + 199);
        await().during(GRACE.multipliedBy(2)).atMost(Duration.ofSeconds(5)).until(() -> presence.size() == 399);
        List<PresenceEvent> leaves = presence.stream().filter(e -> !e.joined()).toList();
        assertThat(leaves).hasSize(199).doesNotHaveDuplicates()
                .doesNotContain(new PresenceEvent("crowd", "u1", false))
                .contains(new PresenceEvent("crowd", "u0", false));
        assertThat(leaves.getLast()).as("u0's leave counts from its second going").isEqualTo(new PresenceEvent("crowd", "u0", false));
        assertThat(hub.users("crowd")).isEqualTo(1);
    }

    @Test
    void usersArePagedInOrder() {
        for (String name : List.of("dan", "ada", "cy", "bob")) {
            seat(name, "loop1").join("lobby");
        }
        assertThat(hub.users("lobby", null, 3)).containsExactly("ada", "bob", "cy");
        assertThat(hub.users("lobby", "cy", 3)).containsExactly("dan");
        assertThat(hub.users("nowhere", null, 3)).isEmpty();
    }

    @Test
    void theUserIsNamedBeforeJoining() {
        Seat ada = seat("s1", "loop1");
        ada.join("lobby");
        assertThatThrownBy(() -> ada.user("ada")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void roomOptionsGoByNameOrPrefixAndTheLastMatchWins() {
        RoomOptions latest = RoomOptions.defaults().withLatestPerKey(m -> "k");
        RoomOptions drop = RoomOptions.defaults().withSlowConsumer(RoomOptions.SlowConsumer.DROP_OLDEST);
        options.set("ticker/*", latest);
        options.set("ticker/slow", drop);
        assertThat(options.of("ticker/btc")).isEqualTo(latest);
        assertThat(options.of("ticker/slow")).isEqualTo(drop);
        assertThat(options.of("chat")).isEqualTo(RoomOptions.defaults());
    }
}
