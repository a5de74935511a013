package io.echowall.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Lua scripts that decide presence inside Redis, one file each beside this class. A script runs
 * atomically, so of all the servers that race on a change exactly one sees it and announces it.
 *
 * <p>They are sent whole with {@code EVAL} rather than by digest: a digest can be missing after Redis
 * restarts, and retrying with the body would put that command behind later ones, while presence
 * commands must stay in the order they were issued. Redis caches the compiled script either way.
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
    REAPED("reaped.lua");

    final String source;

    Script(String file) {
        try (InputStream in = Script.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + file);
            }
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
