package io.echowall.rooms;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.echowall.Message;
import io.echowall.Position;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The {@code echowall.v1} client protocol's messages, read and written as JSON: what a client asks
 * ({@link #parse}) and what the server says (the other methods), as docs/reference/client-protocol.md
 * specifies them. No I/O.
 */
public final class ClientProtocol {

    /** The WebSocket subprotocol of this version. */
    public static final String SUBPROTOCOL = "echowall.v1";

    /** Why a request was refused, as the {@code error} message's {@code code}. */
    public enum Refusal {
        BAD_REQUEST("bad-request"), UNKNOWN_TYPE("unknown-type"), FORBIDDEN("forbidden"), NOT_SUBSCRIBED("not-subscribed"),
        TOO_MANY_ROOMS("too-many-rooms");

        final String code;

        Refusal(String code) {
            this.code = code;
        }
    }

    /** Why a subscription could not recover what was missed, as the {@code reason} of {@code subscribed}. */
    public enum Unrecovered {
        TRIMMED("trimmed"), EPOCH("epoch"), NO_HISTORY("no-history");

        final String reason;

        Unrecovered(String reason) {
            this.reason = reason;
        }
    }

    /** What a client asked. */
    public sealed interface Request {
    }

    /** Subscribe to {@code room}, from after {@code since} (null: from now). */
    public record Subscribe(String room, Position since) implements Request {
    }

    /** Unsubscribe from {@code room}. */
    public record Unsubscribe(String room) implements Request {
    }

    /** Publish {@code data}, a JSON value as text, to {@code room}; {@code id} makes it idempotent. */
    public record Publish(String room, String id, String data) implements Request {
    }

    /** A heartbeat. */
    public record Ping() implements Request {
    }

    /** A request that cannot be served, and the error to answer it with. */
    public record Invalid(Refusal refusal, String message, String id, String room) implements Request {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final JsonFactory FACTORY = JSON.getFactory();
    private static final int MAX_ROOM_LENGTH = 256;

    private ClientProtocol() {
    }

    /** Reads a client's text message; anything malformed becomes an {@link Invalid} that says what is wrong. */
    public static Request parse(String text) {
        JsonNode tree;
        try {
            tree = JSON.readTree(text);
        } catch (IOException e) {
            return new Invalid(Refusal.BAD_REQUEST, "not JSON", null, null);
        }
        if (tree == null || !tree.isObject()) {
            return new Invalid(Refusal.BAD_REQUEST, "a message is a JSON object with a \"type\"", null, null);
        }
        String id = tree.path("id").isTextual() ? tree.get("id").asText() : null;
        String room = tree.path("room").isTextual() ? tree.get("room").asText() : null;
        String type = tree.path("type").asText("");
        if (!type.equals("ping") && (room == null || room.isEmpty() || room.length() > MAX_ROOM_LENGTH)) {
            if (!type.equals("subscribe") && !type.equals("unsubscribe") && !type.equals("publish")) {
                return new Invalid(Refusal.UNKNOWN_TYPE, "unknown type \"" + type + "\"", id, room);
            }
            return new Invalid(Refusal.BAD_REQUEST, "\"room\" must be a string of 1 to " + MAX_ROOM_LENGTH + " characters",
                    id, null);
        }
        return switch (type) {
            case "ping" -> new Ping();
            case "unsubscribe" -> new Unsubscribe(room);
            case "subscribe" -> subscribe(tree, room);
            case "publish" -> {
                if (id == null || id.isEmpty() || id.length() > 128) {
                    yield new Invalid(Refusal.BAD_REQUEST, "\"id\" must be a string of 1 to 128 characters", null, room);
                }
                if (!tree.has("data")) {
                    yield new Invalid(Refusal.BAD_REQUEST, "\"data\" is missing", id, room);
                }
                yield new Publish(room, id, tree.get("data").toString());
            }
            default -> new Invalid(Refusal.UNKNOWN_TYPE, "unknown type \"" + type + "\"", id, room);
        };
    }

    private static Request subscribe(JsonNode tree, String room) {
        JsonNode since = tree.get("since");
        if (since == null || since.isNull()) {
            return new Subscribe(room, null);
        }
        if (!since.path("epoch").isTextual() || !since.path("offset").canConvertToExactIntegral()
                || since.get("offset").asLong(-1) < 0) {
            return new Invalid(Refusal.BAD_REQUEST, "\"since\" must be {\"epoch\": string, \"offset\": number >= 0}", null, room);
        }
        return new Subscribe(room, new Position(since.get("epoch").asText(), since.get("offset").asLong()));
    }

    /** The first message of a connection. */
    public static String welcome(String user, long heartbeatMillis) {
        return welcome(user, heartbeatMillis, null);
    }

    /**
     * The welcome of an event stream, which also names the {@code session} the client posts its
     * requests to; null for a WebSocket, where the requests come on the connection itself.
     */
    public static String welcome(String user, long heartbeatMillis, String session) {
        return write(g -> {
            g.writeStringField("type", "welcome");
            g.writeNumberField("version", 1);
            g.writeStringField("user", user);
            g.writeNumberField("heartbeat", heartbeatMillis);
            if (session != null) {
                g.writeStringField("session", session);
            }
        });
    }

    /**
     * A subscription went live after {@code from}; {@code recovered} is null for a subscription without
     * {@code since}, and {@code unrecovered} says why not when it is false.
     */
    public static String subscribed(String room, Position from, long users, Boolean recovered, Unrecovered unrecovered) {
        return write(g -> {
            g.writeStringField("type", "subscribed");
            g.writeStringField("room", room);
            position(g, from);
            g.writeNumberField("users", users);
            if (recovered != null) {
                g.writeBooleanField("recovered", recovered);
            }
            if (unrecovered != null) {
                g.writeStringField("reason", unrecovered.reason);
            }
        });
    }

    /** A room message in its envelope: JSON text as that JSON, other text as a string, binary as base64. */
    public static String message(String room, Position position, Message message) {
        return write(g -> {
            g.writeStringField("type", "message");
            g.writeStringField("room", room);
            position(g, position);
            g.writeFieldName("data");
            if (message.isBinary()) {
                g.writeStartObject();
                g.writeStringField("base64", Base64.getEncoder().encodeToString(message.bytes()));
                g.writeEndObject();
            } else if (isJson(message.text())) {
                g.writeRawValue(message.text());
            } else {
                g.writeString(message.text());
            }
        });
    }

    /** A publish stored at {@code position}. */
    public static String ack(String id, String room, Position position) {
        return write(g -> {
            g.writeStringField("type", "ack");
            g.writeStringField("id", id);
            g.writeStringField("room", room);
            position(g, position);
        });
    }

    /** A user joined or left {@code room}. */
    public static String presence(String room, String user, boolean joined) {
        return write(g -> {
            g.writeStringField("type", "presence");
            g.writeStringField("room", room);
            g.writeStringField("user", user);
            g.writeBooleanField("joined", joined);
        });
    }

    /** A subscription ended. */
    public static String unsubscribed(String room) {
        return write(g -> {
            g.writeStringField("type", "unsubscribed");
            g.writeStringField("room", room);
        });
    }

    /** A request was refused. */
    public static String error(Refusal refusal, String message, String id, String room) {
        return write(g -> {
            g.writeStringField("type", "error");
            g.writeStringField("code", refusal.code);
            g.writeStringField("message", message);
            if (id != null) {
                g.writeStringField("id", id);
            }
            if (room != null) {
                g.writeStringField("room", room);
            }
        });
    }

    /** Answers a ping. */
    public static String pong() {
        return "{\"type\":\"pong\"}";
    }

    /** Whether {@code text} is exactly one JSON value, which can go into an envelope as it is. */
    static boolean isJson(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void position(JsonGenerator g, Position position) throws IOException {
        g.writeStringField("epoch", position.epoch());
        g.writeNumberField("offset", position.offset());
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Fields fields) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}
