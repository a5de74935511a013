package io.echowall;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Collects the ERROR events logged while open, through a {@link ListAppender} on the root logger. */
public final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    /** Starts collecting. */
    public static LogCapture errors() {
        return new LogCapture();
    }

    /** The ERROR events so far. */
    public List<ILoggingEvent> events() {
        synchronized (appender) { // the appender adds to its list while holding its own lock
            return appender.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
