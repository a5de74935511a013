package io.echowall.jmh;

import io.echowall.CloseStatus;
import io.echowall.Message;
import io.echowall.websocket.Transport;
import io.echowall.websocket.Wire;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Transport} and {@link Wire} without a network: the thread that created it plays the event loop, messages the
 * session writes are counted (and dropped), and the event-loop thread can wait for a count, parking
 * the way an event loop blocks in {@code epoll_wait} until a handler thread gives it work. The waiter
 * is woken once, when its count is reached, so what is measured is the session, not extra wake-ups.
 */
final class LoopbackTransport implements Transport, Wire {

    private final Thread loop = Thread.currentThread();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicLong written = new AtomicLong();
    private volatile Thread waiter;
    private volatile long target;
    volatile boolean connectionClosed;

    /** Messages written so far. */
    long written() {
        return written.get();
    }

    /** Event loop: waits until {@code count} messages in all have been written. */
    void awaitWritten(long count) {
        target = count;
        while (written.get() < count) {
            waiter = Thread.currentThread();
            if (written.get() < count) {
                LockSupport.park(this);
            }
            waiter = null;
        }
    }

    /** Event loop: runs the tasks handed to {@link #execute}; returns how many ran. */
    int runTasks() {
        int n = 0;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
            n++;
        }
        return n;
    }

    private void wrote() {
        long n = written.incrementAndGet();
        Thread t = waiter;
        if (t != null && n >= target) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public boolean write(Message message) {
        wrote();
        return true;
    }

    @Override
    public boolean writeText(String text) {
        wrote();
        return true;
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public long bufferedAmount() {
        return 0;
    }

    @Override
    public void writePong(byte[] payload) {
    }

    @Override
    public void writePing() {
    }

    @Override
    public void writeClose(CloseStatus status) {
    }

    @Override
    public void shutdownOutput() {
        connectionClosed = true;
    }

    @Override
    public void abort() {
        connectionClosed = true;
    }

    @Override
    public void reading(boolean on) {
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == loop;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public void schedule(Timer timer, Duration delay) {
        // Timers never fire here: the benchmark closes every session cleanly.
    }

    @Override
    public void cancel(Timer timer) {
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }
}
