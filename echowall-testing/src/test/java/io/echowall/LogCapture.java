package io.echowall;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Collects the events logged while open, through a {@link ListAppender} on a logger. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final Level least;
    private final Level levelBefore;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String loggerName, Level least) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.least = least;
        this.levelBefore = logger.getLevel();
        if (!logger.isEnabledFor(least)) {
            logger.setLevel(least); // the tests' configuration logs only warnings
        }
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts collecting ERROR events, from every logger. */
    public static LogCapture errors() {
        return new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.ERROR);
    }

    /** Starts collecting INFO events and above from {@code loggerName} and the loggers below it, enabling INFO there meanwhile. */
    public static LogCapture info(String loggerName) {
        return new LogCapture(loggerName, Level.INFO);
    }

    /** The events so far, at the level this capture collects or above. */
    public List<ILoggingEvent> events() {
        synchronized (appender) { // the appender adds to its list while holding its own lock
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(least)).toList();
        }
    }

    /** The formatted messages of {@link #events()}. */
    public List<String> messages() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(levelBefore);
        appender.stop();
    }
}
