package io.echowall.rooms;

import io.echowall.Message;
import io.echowall.Position;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The echowall.v1 messages as the spec page writes them. */
class ClientProtocolTest {

    @Test
    void requestsAreRead() {
        assertThat(ClientProtocol.parse("{\"type\":\"subscribe\",\"room\":\"lobby\"}"))
                .isEqualTo(new ClientProtocol.Subscribe("lobby", null));
        assertThat(ClientProtocol.parse("{\"type\":\"subscribe\",\"room\":\"lobby\",\"since\":{\"epoch\":\"e\",\"offset\":41}}"))
                .isEqualTo(new ClientProtocol.Subscribe("lobby", new Position("e", 41)));
        assertThat(ClientProtocol.parse("{\"type\":\"publish\",\"room\":\"r\",\"id\":\"c:1\",\"data\":{\"a\":[1,2]}}"))
                .isEqualTo(new ClientProtocol.Publish("r", "c:1", "{\"a\":[1,2]}"));
        assertThat(ClientProtocol.parse("{\"type\":\"unsubscribe\",\"room\":\"r\"}")).isEqualTo(new ClientProtocol.Unsubscribe("r"));
        assertThat(ClientProtocol.parse("{\"type\":\"ping\"}")).isEqualTo(new ClientProtocol.Ping());
    }

    @Test
    void badRequestsSayWhatIsWrong() {
        assertThat(ClientProtocol.parse("nope")).isEqualTo(new ClientProtocol.Invalid(ClientProtocol.Refusal.BAD_REQUEST,
                "not JSON", null, null));
        assertThat(ClientProtocol.parse("[1]")).isEqualTo(new ClientProtocol.Invalid(ClientProtocol.Refusal.BAD_REQUEST,
                "a message is a JSON object with a \"type\"", null, null));
        assertThat(ClientProtocol.parse("{\"type\":\"publish\",\"room\":\"r\",\"data\":1}")).isEqualTo(
                new ClientProtocol.Invalid(ClientProtocol.Refusal.BAD_REQUEST, "\"id\" must be a string of 1 to 128 characters", null, "r"));
        assertThat(ClientProtocol.parse("{\"type\":\"publish\",\"room\":\"r\",\"id\":\"1\"}")).isEqualTo(
                new ClientProtocol.Invalid(ClientProtocol.Refusal.BAD_REQUEST, "\"data\" is missing", "1", "r"));
        assertThat(ClientProtocol.parse("{\"type\":\"subscribe\"}")).isEqualTo(new ClientProtocol.Invalid(
                ClientProtocol.Refusal.BAD_REQUEST, "\"room\" must be a string of 1 to 256 characters", null, null));
        assertThat(ClientProtocol.parse("{\"type\":\"subscribe\",\"room\":\"r\",\"since\":{\"offset\":-1}}")).isInstanceOf(
                ClientProtocol.Invalid.class);
        assertThat(ClientProtocol.parse("{\"type\":\"jump\",\"id\":\"7\"}")).isEqualTo(new ClientProtocol.Invalid(
                ClientProtocol.Refusal.UNKNOWN_TYPE, "unknown type \"jump\"", "7", null));
    }

    @Test
    void roomMessagesCarryJsonAsJsonAndAnythingElseAsAString() {
        Position p = new Position("e", 7);
        assertThat(ClientProtocol.message("r", p, Message.text("{\"n\":1}")))
                .isEqualTo("{\"type\":\"message\",\"room\":\"r\",\"epoch\":\"e\",\"offset\":7,\"data\":{\"n\":1}}");
        assertThat(ClientProtocol.message("r", p, Message.text("plain \"text\"")))
                .isEqualTo("{\"type\":\"message\",\"room\":\"r\",\"epoch\":\"e\",\"offset\":7,\"data\":\"plain \\\"text\\\"\"}");
        assertThat(ClientProtocol.message("r", p, Message.text("{\"n\":1} trailing")))
                .endsWith("\"data\":\"{\\\"n\\\":1} trailing\"}");
        assertThat(ClientProtocol.message("r", p, Message.binary(new byte[] {1, 2, 3})))
                .endsWith("\"data\":{\"base64\":\"AQID\"}}");
    }

    @Test
    void repliesAreWrittenAsTheSpecShowsThem() {
        assertThat(ClientProtocol.welcome("ada", 25_000)).isEqualTo("{\"type\":\"welcome\",\"version\":1,\"user\":\"ada\",\"heartbeat\":25000}");
        assertThat(ClientProtocol.subscribed("lobby", new Position("9f2c", 42), 3, true, null))
                .isEqualTo("{\"type\":\"subscribed\",\"room\":\"lobby\",\"epoch\":\"9f2c\",\"offset\":42,\"users\":3,\"recovered\":true}");
        assertThat(ClientProtocol.subscribed("lobby", new Position("9f2c", 45), 3, false, ClientProtocol.Unrecovered.TRIMMED))
                .endsWith("\"recovered\":false,\"reason\":\"trimmed\"}");
        assertThat(ClientProtocol.ack("c7:1", "lobby", new Position("9f2c", 42)))
                .isEqualTo("{\"type\":\"ack\",\"id\":\"c7:1\",\"room\":\"lobby\",\"epoch\":\"9f2c\",\"offset\":42}");
        assertThat(ClientProtocol.error(ClientProtocol.Refusal.FORBIDDEN, "no", "1", "r"))
                .isEqualTo("{\"type\":\"error\",\"code\":\"forbidden\",\"message\":\"no\",\"id\":\"1\",\"room\":\"r\"}");
        assertThat(ClientProtocol.presence("r", "bob", false)).isEqualTo("{\"type\":\"presence\",\"room\":\"r\",\"user\":\"bob\",\"joined\":false}");
    }
}
