package io.echowall.redis;

import io.echowall.Echowall;
import io.echowall.Message;
import io.echowall.PresenceEvent;
import io.echowall.WebSocket;
import io.echowall.WebSocketListener;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** The app the multi-server tests run on every server: a room per path, a user per query. */
final class RoomServers {

    private RoomServers() {
    }

    /**
     * An app whose {@code /room/{room}?user=…} endpoint joins the room as the user and publishes to it
     * whatever it receives, and whose {@code /rooms} endpoint speaks the {@code echowall.v1} protocol, with
     * {@code broker} and {@code grace}; presence events go to {@code presence}.
     */
    static Echowall app(RedisBroker broker, Duration grace, Consumer<PresenceEvent> presence) {
        Echowall app = Echowall.create(c -> c.withHost("127.0.0.1").withBroker(broker).withPresenceGrace(grace));
        app.ws("/room/{room}", new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                String user = ws.queryParam("user");
                if (user != null) {
                    ws.user(user);
                }
                ws.join(ws.pathParam("room"));
            }

            @Override
            public void onMessage(WebSocket ws, Message message) {
                ws.publish(ws.pathParam("room"), message);
            }
        });
        app.roomsEndpoint("/rooms");
        app.rooms().onPresence(presence);
        return app;
    }

    /** Options for a test: its own key prefix, and a short lease. */
    static RedisBrokerOptions options(Duration lease) {
        return RedisBrokerOptions.defaults().withKeyPrefix("t" + java.util.UUID.randomUUID() + ":").withLeaseTime(lease);
    }

    /** Whether every app counts {@code users} in {@code room}. */
    static boolean agree(List<Echowall> apps, String room, List<String> users) {
        return apps.stream().allMatch(app -> app.rooms().users(room) == users.size()
                && app.rooms().users(room, null, 1000).equals(users));
    }
}
