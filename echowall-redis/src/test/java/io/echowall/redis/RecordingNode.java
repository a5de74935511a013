package io.echowall.redis;

import io.echowall.Broker;
import io.echowall.Message;
import io.echowall.Position;
import io.echowall.PresenceEvent;
import io.echowall.RoomOptions;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A server as a broker sees it, recording every call it gets. */
final class RecordingNode implements Broker.Node {

    /** A message delivered to a room. */
    record Delivery(String room, Position position, Message message, String tag) {
    }

    final String id = UUID.randomUUID().toString();
    final Duration grace;
    final Function<String, RoomOptions> options;
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    final List<PresenceEvent> presence = new CopyOnWriteArrayList<>();
    final List<Boolean> health = new CopyOnWriteArrayList<>();

    RecordingNode(Duration grace) {
        this(grace, room -> RoomOptions.defaults());
    }

    RecordingNode(Duration grace, Function<String, RoomOptions> options) {
        this.grace = grace;
        this.options = options;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Duration presenceGrace() {
        return grace;
    }

    @Override
    public RoomOptions options(String room) {
        return options.apply(room);
    }

    @Override
    public void deliver(String room, Position position, Message message, String tag) {
        deliveries.add(new Delivery(room, position, message, tag));
    }

    @Override
    public void presence(PresenceEvent event) {
        presence.add(event);
    }

    @Override
    public void health(boolean up) {
        health.add(up);
    }

    /** The text messages delivered to {@code room}, but the probes tests send to see a subscription work. */
    List<String> texts(String room) {
        return deliveries(room).stream().filter(d -> d.message().isText()).map(d -> d.message().text()).toList();
    }

    static final String PROBE = "probe-";

    /** What was delivered to {@code room}, but the probes. */
    List<Message> messages(String room) {
        return deliveries(room).stream().map(Delivery::message).toList();
    }

    /** The deliveries to {@code room}, but the probes. */
    List<Delivery> deliveries(String room) {
        return deliveries.stream().filter(d -> d.room().equals(room))
                .filter(d -> d.message().isBinary() || !d.message().text().startsWith(PROBE)).toList();
    }
}
