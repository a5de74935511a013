package io.echowall.rooms;

import io.echowall.Message;
import io.echowall.Position;
import io.echowall.websocket.Session;

import java.time.Duration;

/** Room seats for sessions under test that never join a room. */
public final class TestSeats {

    /** Writes nothing: these seats never join a room. */
    private static final Fanout NOWHERE = new Fanout() {
        @Override
        public void deliver(Room room, Position position, Message message, Member except) {
        }

        @Override
        public void tell(Room room, String text) {
        }
    };

    private static final RoomHub HUB = new RoomHub(new LocalBroker(), Duration.ofSeconds(5), NOWHERE, new RoomOptionsTable());

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
