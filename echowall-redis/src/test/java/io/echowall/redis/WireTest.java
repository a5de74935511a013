package io.echowall.redis;

import io.echowall.Message;
import io.echowall.PresenceEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What travels on the channels, without Redis: messages keep type and bytes, events decode as the scripts write them. */
@Timeout(10)
class WireTest {

    private static final byte[] ORIGIN = Keys.bytes("server-a");

    @Test
    void aMessageKeepsItsTypeBytesAndOrigin() {
        byte[] payload = {0, (byte) 0xFF, '\n', 'J', '3', ':'};
        byte[] frame = Wire.message(ORIGIN, Message.binary(payload));
        assertThat(Wire.from(ORIGIN, frame)).isTrue();
        assertThat(Wire.from(Keys.bytes("server-b"), frame)).isFalse();
        assertThat(Wire.from(Keys.bytes("server-"), frame)).isFalse();
        assertThat(Wire.message(frame)).isEqualTo(Message.binary(payload));
        assertThat(Wire.message(Wire.message(ORIGIN, Message.text("ünï ✓")))).isEqualTo(Message.text("ünï ✓"));
    }

    @Test
    void aPresenceEventDecodesAsTheScriptsWriteIt() {
        String room = "salle:{é}";
        byte[] join = ("J" + Wire.room(room) + "ada:1").getBytes(StandardCharsets.UTF_8);
        byte[] leave = ("L" + Wire.room(room) + "").getBytes(StandardCharsets.UTF_8);
        assertThat(Wire.presence(join)).isEqualTo(new PresenceEvent(room, "ada:1", true));
        assertThat(Wire.presence(leave)).isEqualTo(new PresenceEvent(room, "", false));
        assertThat(Wire.presence(Keys.bytes("X3:abc"))).isNull();
        assertThat(Wire.presence(Keys.bytes("J9:abc"))).isNull();
        assertThat(Wire.presence(Keys.bytes("Jx:abc"))).isNull();
    }

    @Test
    void aChannelNamesItsRoom() {
        Keys keys = new Keys("echowall:");
        assertThat(keys.roomOf(keys.messages("a}b{c"))).isEqualTo("a}b{c");
        assertThat(keys.roomOf(Keys.bytes("other:{lobby}:messages"))).isNull();
    }
}
