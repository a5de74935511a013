package io.echowall.rooms;

import io.echowall.RoomOptions;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which options each room has: set per name, or per family with a name ending in {@code *} (a prefix);
 * the last setting that matches wins; rooms no setting matches get the defaults.
 */
public final class RoomOptionsTable {

    private record Rule(String pattern, RoomOptions options) {
        boolean matches(String room) {
            return pattern.endsWith("*") ? room.startsWith(pattern.substring(0, pattern.length() - 1)) : room.equals(pattern);
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    /** Gives rooms matching {@code pattern} these options. */
    public void set(String pattern, RoomOptions options) {
        rules.add(new Rule(pattern, options));
    }

    /** The options of {@code room}. */
    public RoomOptions of(String room) {
        for (int i = rules.size() - 1; i >= 0; i--) {
            if (rules.get(i).matches(room)) {
                return rules.get(i).options();
            }
        }
        return RoomOptions.defaults();
    }
}
