package io.echowall.websocket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A session's attributes, seeded from its upgrade request; read and changed from any thread. */
final class Attributes {

    private volatile Map<String, Object> values;

    Attributes(Map<String, Object> initial) {
        if (!initial.isEmpty()) {
            values = new ConcurrentHashMap<>(initial);
        }
    }

    /** The value of {@code name}, or null. */
    @SuppressWarnings("unchecked")
    <T> T get(String name) {
        Map<String, Object> map = values;
        return map == null ? null : (T) map.get(name);
    }

    /** Sets {@code name} to {@code value}; null removes it. */
    synchronized void set(String name, Object value) {
        if (values == null) {
            values = new ConcurrentHashMap<>();
        }
        if (value == null) {
            values.remove(name);
        } else {
            values.put(name, value);
        }
    }
}
