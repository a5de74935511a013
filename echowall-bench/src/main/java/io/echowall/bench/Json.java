package io.echowall.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/** A JSON object that keeps its keys in insertion order; just enough for the one-line RESULT output. */
final class Json {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    /** Adds a field: a String, a Number, a Boolean, a nested {@code Json}, or null. */
    Json put(String key, Object value) {
        if (value != null && !(value instanceof String || value instanceof Number
                || value instanceof Boolean || value instanceof Json)) {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
        fields.put(key, value);
        return this;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        write(out);
        return out.toString();
    }

    private void write(StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(out, field.getKey());
            out.append(':');
            writeValue(out, field.getValue());
        }
        out.append('}');
    }

    private static void writeValue(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case String text -> writeString(out, text);
            case Json object -> object.write(out);
            case Double number when number.isNaN() || number.isInfinite() -> out.append("null");
            case Double number -> out.append(BigDecimal.valueOf(number).setScale(3, RoundingMode.HALF_UP)
                    .stripTrailingZeros().toPlainString());
            default -> out.append(value);
        }
    }

    private static void writeString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
