package io.echowall.redis;

import io.echowall.Position;
import io.echowall.testing.TestClient;
import io.echowall.testing.TestServer;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A client of the {@code echowall.v1} protocol for the tests, over a {@link TestClient}: reads the fields it needs. */
final class ProtocolClient implements AutoCloseable {

    private static final Pattern FIELD = Pattern.compile("\"(type|epoch|offset|data|recovered|reason)\":(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}]+)");

    /** One message from the server, by the fields the tests look at. */
    record Frame(String type, Position position, String data, String recovered, String reason, String json) {
    }

    private final TestClient client;

    private ProtocolClient(TestClient client) {
        this.client = client;
    }

    /** Connects to {@code server}'s {@code /rooms} endpoint and reads the welcome. */
    static ProtocolClient connect(TestServer server) {
        ProtocolClient client = new ProtocolClient(server.connect("/rooms", Map.of(), "echowall.v1"));
        assertThat(client.next().type()).isEqualTo("welcome");
        return client;
    }

    /** Subscribes to {@code room}, from its current position, and returns the {@code subscribed} answer. */
    Frame subscribe(String room) {
        client.send("{\"type\":\"subscribe\",\"room\":\"" + room + "\"}");
        return expect("subscribed");
    }

    /** Subscribes to {@code room} after {@code since}, and returns the {@code subscribed} answer. */
    Frame subscribe(String room, Position since) {
        client.send("{\"type\":\"subscribe\",\"room\":\"" + room + "\",\"since\":{\"epoch\":\"" + since.epoch()
                + "\",\"offset\":" + since.offset() + "}}");
        return expect("subscribed");
    }

    /** Publishes {@code data} (JSON) as request {@code id}; the ack is read among the next frames. */
    void publish(String room, String id, String data) {
        client.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"id\":\"" + id + "\",\"data\":" + data + "}");
    }

    /** The next frame. */
    Frame next() {
        String json = client.nextMessage().text();
        Map<String, String> fields = new java.util.HashMap<>();
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            fields.putIfAbsent(m.group(1), m.group(2));
        }
        String epoch = unquote(fields.get("epoch"));
        Position position = epoch == null ? null : new Position(epoch, Long.parseLong(fields.get("offset").trim()));
        return new Frame(unquote(fields.get("type")), position, fields.get("data"), fields.get("recovered"),
                unquote(fields.get("reason")), json);
    }

    /** The next frame of {@code type}, skipping others (acks, presence). */
    Frame expect(String type) {
        for (int i = 0; i < 1000; i++) {
            Frame frame = next();
            if (frame.type().equals(type)) {
                return frame;
            }
        }
        throw new AssertionError("no " + type + " among 1000 frames");
    }

    private static String unquote(String value) {
        return value == null ? null : value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    @Override
    public void close() {
        client.close();
    }
}
