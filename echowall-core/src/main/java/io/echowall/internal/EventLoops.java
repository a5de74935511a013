package io.echowall.internal;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.RejectedExecutionHandlers;

import java.util.concurrent.Executor;

/**
 * The server's event loops. Netty lets a loop run queued tasks for up to a second before it serves
 * I/O again; here a loop goes back to I/O after a few milliseconds of tasks, so that a burst of work
 * queued from handler threads (writes, compression) never keeps new connections and reads waiting.
 */
final class EventLoops extends MultiThreadIoEventLoopGroup {

    /** Milliseconds of queued tasks before I/O is served again (Netty checks every 64 tasks). */
    private static final long TASK_QUANTUM_MS = 5;

    EventLoops(int threads, IoHandlerFactory io) {
        super(threads, io);
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory io, Object... args) {
        return new SingleThreadIoEventLoop(this, executor, io, Integer.MAX_VALUE, RejectedExecutionHandlers.reject(),
                TASK_QUANTUM_MS);
    }
}
