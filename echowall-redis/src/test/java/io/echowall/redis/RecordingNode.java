package io.echowall.redis;

import io.echowall.Broker;
import io.echowall.Message;
import io.echowall.PresenceEvent;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A server as a broker sees it, recording every call it gets. */
final class RecordingNode implements Broker.Node {

    /** A message delivered to a room. */
    record Delivery(String room, Message message) {
    }

    final String id = UUID.randomUUID().toString();
    final Duration grace;
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    final List<PresenceEvent> presence = new CopyOnWriteArrayList<>();
    final List<Boolean> health = new CopyOnWriteArrayList<>();

    RecordingNode(Duration grace) {
        this.grace = grace;
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
    public void deliver(String room, Message message) {
        deliveries.add(new Delivery(room, message));
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
        return deliveries.stream().filter(d -> d.room().equals(room) && d.message().isText())
                .map(d -> d.message().text()).filter(text -> !text.startsWith(PROBE)).toList();
    }

    static final String PROBE = "probe-";

    /** What was delivered to {@code room}, but the probes. */
    List<Message> messages(String room) {
        return deliveries.stream().filter(d -> d.room().equals(room)).map(Delivery::message)
                .filter(m -> m.isBinary() || !m.text().startsWith(PROBE)).toList();
    }
}
