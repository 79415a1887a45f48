package dev.faultline.it.security;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log event of this JVM (at the levels configured) from creation to {@link #close()}, as text. */
final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
        appender.setName("security-it-capture");
        appender.start();
        root.addAppender(appender);
    }

    /** Message, arguments, MDC and stack trace of every event captured so far, one after the other. */
    String text() {
        List<ILoggingEvent> events;
        synchronized (appender) { // AppenderBase.doAppend holds this lock while adding
            events = new ArrayList<>(appender.list);
        }
        StringBuilder sb = new StringBuilder();
        for (ILoggingEvent e : events) {
            sb.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" - ").append(e.getFormattedMessage());
            if (e.getArgumentArray() != null) {
                for (Object a : e.getArgumentArray()) {
                    sb.append(" | ").append(a);
                }
            }
            sb.append(' ').append(e.getMDCPropertyMap());
            if (e.getThrowableProxy() != null) {
                sb.append('\n').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    int size() {
        synchronized (appender) {
            return appender.list.size();
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
