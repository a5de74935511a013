package io.echowall.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Lua scripts that run inside Redis, one file each beside this class: presence, and the rooms'
 * positions and histories. A script runs atomically, so of all the servers that race on a change exactly
 * one sees it and announces it, and a room's offsets are given in the order its messages are published.
 *
 * <p>They are sent whole with {@code EVAL} rather than by digest: a digest can be missing after Redis
 * restarts, and retrying with the body would put that command behind later ones, while presence
 * commands and publications must stay in the order they were issued. Redis caches the compiled script
 * either way. Comment lines and indentation are left out of what is sent, since it goes with every call.
 */
enum Script {
    /** Sets a server's connections for a user in a room; announces joins, starts grace periods. */
    SET_CONNECTIONS("set-connections.lua"),
    /** Announces the leaves whose grace period is over. */
    SWEEP("sweep.lua"),
    /** Removes a dead server's connections from a room. */
    REAP("reap.lua"),
    /** Renews, takes or ends a server's lease. */
    LEASE("lease.lua"),
    /** Claims dead servers to reap. */
    CLAIM("claim.lua"),
    /** Forgets a reaped server. */
    REAPED("reaped.lua"),
    /** Gives a room message its position, keeps it in the history and publishes it. */
    PUBLISH("room-log.lua", "publish.lua"),
    /** Reads a page of a room's history. */
    HISTORY("room-log.lua", "history.lua");

    final String source;

    Script(String... files) {
        StringBuilder code = new StringBuilder();
        for (String file : files) {
            try (InputStream in = Script.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("missing script " + file);
                }
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("--"))
                        .forEach(line -> code.append(line).append('\n'));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        source = code.toString();
    }
}
