package io.echowall.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {
    @Test
    void writesOrderedFieldsEscapedStringsAndNullForMissingNumbers() {
        Json json = new Json()
                .put("mode", "echo")
                .put("url", "ws://h/\"q\"\\\n")
                .put("count", 3L)
                .put("rate", 1234.56789)
                .put("p50", Double.NaN)
                .put("ok", true)
                .put("first", null)
                .put("nested", new Json().put("a", 1));
        assertThat(json).hasToString("{\"mode\":\"echo\",\"url\":\"ws://h/\\\"q\\\"\\\\\\n\",\"count\":3,\"rate\":1234.568,"
                + "\"p50\":null,\"ok\":true,\"first\":null,\"nested\":{\"a\":1}}");
    }
}
