package io.echowall.redis;

import io.echowall.Message;
import io.echowall.Position;
import io.echowall.PresenceEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What travels on the channels, without Redis: messages keep position, type, bytes and tag; events decode as the scripts write them. */
@Timeout(10)
class WireTest {

    @Test
    void aRoomMessageKeepsItsPositionTypeBytesAndTag() {
        byte[] payload = {0, (byte) 0xFF, '\n', ' ', '3', ':', '-'};
        Position position = new Position("0a1b2c3d4e5f", 9_007_199_254_740_993L);
        Wire.Delivery binary = Wire.delivery(Wire.frame(position, Message.binary(payload), "node/7"));
        assertThat(binary).isEqualTo(new Wire.Delivery(position, Message.binary(payload), "node/7"));
        assertThat(Wire.delivery(Wire.frame(new Position("e", 1), Message.text("ünï ✓"), null)))
                .isEqualTo(new Wire.Delivery(new Position("e", 1), Message.text("ünï ✓"), null));
        assertThat(Wire.delivery(Wire.frame(new Position("e", 2), Message.text(""), "täg: 1 -")))
                .isEqualTo(new Wire.Delivery(new Position("e", 2), Message.text(""), "täg: 1 -"));
    }

    @Test
    void aFrameThatIsNoRoomMessageIsRefused() {
        assertThat(Wire.delivery(Keys.bytes("te 1 5:ab"))).isNull(); // the tag is longer than the frame
        assertThat(Wire.delivery(Keys.bytes("te x -"))).isNull();
        assertThat(Wire.delivery(Keys.bytes("xe 1 -"))).isNull();
        assertThat(Wire.delivery(Keys.bytes("t 1 -"))).isNull();
        assertThat(Wire.delivery(Keys.bytes("te 1 -payload"))).isEqualTo(new Wire.Delivery(new Position("e", 1), Message.text("payload"), null));
    }

    @Test
    void aHistoryEntryKeepsItsType() {
        assertThat(Wire.entry(Wire.kind(Message.text("x")), Keys.bytes("x"))).isEqualTo(Message.text("x"));
        assertThat(Wire.entry(Wire.kind(Message.binary(new byte[] {1})), new byte[] {1})).isEqualTo(Message.binary(new byte[] {1}));
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
