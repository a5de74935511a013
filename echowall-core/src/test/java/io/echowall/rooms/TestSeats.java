package io.echowall.rooms;

import io.echowall.websocket.Session;

import java.time.Duration;

/** Room seats for sessions under test that never join a room. */
public final class TestSeats {

    private static final RoomHub HUB = new RoomHub(new LocalBroker(), Duration.ofSeconds(5), Fanout.NOWHERE,
            new RoomOptionsTable());

    private TestSeats() {
    }

    /** A hub whose broker is never opened: enough for seats that stay out of rooms. */
    public static RoomHub hub() {
        return HUB;
    }

    /** Seats in that hub, for connections on one lane. */
    public static Session.Seats unused() {
        return id -> new Seat(HUB, () -> "lane", id);
    }
}
