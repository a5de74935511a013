package io.echowall.internal;

/**
 * The JVM shutdown hook that stops an app gracefully when the JVM is asked to end (SIGTERM, Ctrl-C), so
 * that a deploy sends every client 1001 rather than cutting it; removed when the app stops first.
 */
public final class ShutdownHook {

    private final Thread thread;

    private ShutdownHook(Thread thread) {
        this.thread = thread;
    }

    /** Registers a hook that runs {@code stop}. */
    public static ShutdownHook register(Runnable stop) {
        Thread thread = Thread.ofPlatform().name("echowall-shutdown").unstarted(stop);
        Runtime.getRuntime().addShutdownHook(thread);
        return new ShutdownHook(thread);
    }

    /** Removes the hook, unless it is what runs now (the app stops because the JVM ends). */
    public void remove() {
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is ending and the hook runs, or ran: nothing to remove.
        }
    }
}
