package io.echowall.websocket;

import io.echowall.CloseStatus;
import io.echowall.Message;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory connection under a real {@link Protocol}: a single thread plays the event loop, every
 * data message and protocol action is recorded in order as text, and timers are only recorded, for the
 * test to fire with {@link #fire}.
 */
final class FakeConnection implements Transport, Wire, AutoCloseable {

    final ConcurrentLinkedQueue<String> written = new ConcurrentLinkedQueue<>();
    final Set<Timer> armed = ConcurrentHashMap.newKeySet();
    volatile boolean writable = true;
    final Protocol protocol = new Protocol(this, new Protocol.Timing(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofSeconds(5)));
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-event-loop");
        t.setDaemon(true);
        return t;
    });
    private volatile Thread loopThread;

    FakeConnection() {
        onLoop(() -> loopThread = Thread.currentThread());
    }

    /** Runs {@code task} on the fake event loop and waits for it. */
    void onLoop(Runnable task) {
        try {
            loop.submit(task).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Fires an armed timer on the event loop, as the clock would. */
    void fire(Timer timer) {
        onLoop(() -> {
            if (armed.remove(timer)) {
                protocol.timerFired(timer);
            }
        });
    }

    /** What went out: messages and control frames, and what was done to TCP, without reading changes. */
    List<String> written() {
        return written.stream().filter(w -> !w.startsWith("reading")).toList();
    }

    /** The reading changes asked for, in order. */
    List<String> readingChanges() {
        return written.stream().filter(w -> w.startsWith("reading")).toList();
    }

    @Override
    public boolean write(Message message) {
        written.add(message.text());
        return true;
    }

    @Override
    public boolean writeText(String text) {
        written.add(text);
        return true;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public long bufferedAmount() {
        return 0;
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == loopThread;
    }

    @Override
    public void execute(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException stopped) {
            // The test is over and its loop stopped, as a real connection's loop stops with the server.
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public void writePong(byte[] payload) {
        written.add("pong");
    }

    @Override
    public void writePing() {
        written.add("ping");
    }

    @Override
    public void writeClose(CloseStatus status) {
        written.add("close " + status);
    }

    @Override
    public void shutdownOutput() {
        written.add("shutdown output");
    }

    @Override
    public void abort() {
        written.add("abort");
    }

    @Override
    public void reading(boolean on) {
        written.add(on ? "reading on" : "reading off");
    }

    @Override
    public void schedule(Timer timer, Duration delay) {
        armed.add(timer);
    }

    @Override
    public void cancel(Timer timer) {
        armed.remove(timer);
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
