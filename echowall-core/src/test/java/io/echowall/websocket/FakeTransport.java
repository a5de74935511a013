package io.echowall.websocket;

import io.echowall.CloseStatus;
import io.echowall.Message;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory {@link Transport}: a single-thread executor plays the event loop, and everything the
 * session asks of the network is recorded.
 */
final class FakeTransport implements Transport, AutoCloseable {

    final ConcurrentLinkedQueue<Object> written = new ConcurrentLinkedQueue<>();
    final List<Boolean> readingChanges = new ArrayList<>();
    volatile boolean connectionClosed;
    volatile boolean writable = true;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-event-loop");
        t.setDaemon(true);
        return t;
    });
    private volatile Thread loopThread;

    FakeTransport() {
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

    List<Object> written() {
        return new ArrayList<>(written);
    }

    @Override
    public boolean write(Message message) {
        written.add(message);
        return true;
    }

    @Override
    public boolean writeText(String text) {
        written.add(Message.text(text));
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
    public void writeClose(CloseStatus status) {
        written.add(status);
    }

    @Override
    public void closeConnection() {
        connectionClosed = true;
    }

    @Override
    public void setReading(boolean reading) {
        readingChanges.add(reading);
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == loopThread;
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public Runnable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }

}
