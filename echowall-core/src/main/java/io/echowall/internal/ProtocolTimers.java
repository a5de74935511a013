package io.echowall.internal;

import io.echowall.websocket.Protocol;
import io.echowall.websocket.Wire.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.EnumMap;
import java.util.concurrent.TimeUnit;

/** Runs a {@link Protocol}'s timers on its connection's event loop, at most one of each kind pending. */
final class ProtocolTimers {

    private final EnumMap<Timer, ScheduledFuture<?>> pending = new EnumMap<>(Timer.class);
    private final EventExecutor executor;
    private final Protocol protocol;

    ProtocolTimers(EventExecutor executor, Protocol protocol) {
        this.executor = executor;
        this.protocol = protocol;
    }

    /** Event loop: {@code timer} fires after {@code delay}, replacing the one pending. */
    void schedule(Timer timer, Duration delay) {
        cancel(timer);
        pending.put(timer, executor.schedule(() -> {
            pending.remove(timer);
            protocol.timerFired(timer);
        }, delay.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** Event loop: {@code timer} will not fire. */
    void cancel(Timer timer) {
        ScheduledFuture<?> future = pending.remove(timer);
        if (future != null) {
            future.cancel(false);
        }
    }
}
