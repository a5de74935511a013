package io.echowall.websocket;

import io.echowall.CloseStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A {@link Wire} that records what the protocol asks, with timers a test fires by hand. */
final class RecordingWire implements Wire {

    /** One action, as a short readable text: {@code pong hi}, {@code close 1000}, {@code reading off}… */
    final List<String> actions = new ArrayList<>();
    /** Armed timers and their delays. */
    final Map<Timer, Duration> armed = new EnumMap<>(Timer.class);

    /** The actions recorded since the last call, then forgets them. */
    List<String> take() {
        List<String> taken = List.copyOf(actions);
        actions.clear();
        return taken;
    }

    @Override
    public void writePong(byte[] payload) {
        actions.add("pong " + new String(payload));
    }

    @Override
    public void writePing() {
        actions.add("ping");
    }

    @Override
    public void writeClose(CloseStatus status) {
        actions.add("close " + status);
    }

    @Override
    public void shutdownOutput() {
        actions.add("shutdown output");
    }

    @Override
    public void abort() {
        actions.add("abort");
    }

    @Override
    public void reading(boolean on) {
        actions.add(on ? "reading on" : "reading off");
    }

    @Override
    public void schedule(Timer timer, Duration delay) {
        armed.put(timer, delay);
    }

    @Override
    public void cancel(Timer timer) {
        armed.remove(timer);
    }

    @Override
    public String toString() {
        return actions + " " + armed;
    }
}
