package io.echowall.internal;

import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Says plainly, once, when the app cannot log: without an SLF4J provider on the class path, a handler
 * that throws, a 500, a 1011 and the start-up line all go nowhere.
 */
public final class LoggingCheck {

    private static final AtomicBoolean CHECKED = new AtomicBoolean();

    private LoggingCheck() {
    }

    /** Prints one warning to standard error if no SLF4J provider is present; only the first time. */
    public static void warnIfSilent() {
        if (CHECKED.compareAndSet(false, true) && LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory) {
            System.err.println("echowall: no SLF4J provider is on the class path, so Echowall logs nothing: not the "
                    + "URL it serves, not the errors of your handlers. Add one, such as "
                    + "ch.qos.logback:logback-classic (see docs/howto/use-in-your-app.md).");
        }
    }
}
