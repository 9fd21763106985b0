package io.fal4j.runtime;

import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Copies what the app logs while it serves a queued request (through any logging API that ends in
 * the JBoss log manager) into that request's log lines, found by the request id in the log
 * context. Lines the app writes through its {@code RequestContext} are kept directly, not here.
 */
final class RequestLogCapture extends Handler {

    private static final String CONTEXT_LOGGER = "io.fal4j.app";

    private final Function<String, RequestLog> running;

    /** @param running the log of a running queued request by id, or null */
    RequestLogCapture(Function<String, RequestLog> running) {
        this.running = running;
    }

    @Override
    public void publish(LogRecord record) {
        Object id = MDC.get(Invocation.MDC_KEY);
        if (id == null || CONTEXT_LOGGER.equals(record.getLoggerName())) {
            return;
        }
        RequestLog log = running.apply(id.toString());
        if (log == null) {
            return;
        }
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
        log.add(level(record.getLevel().intValue()), message,
                logger.startsWith("io.fal4j.runtime") ? RequestLog.RUNNER : RequestLog.USER);
    }

    private static Logger.Level level(int value) {
        if (value >= java.util.logging.Level.SEVERE.intValue()) {
            return Logger.Level.ERROR;
        }
        if (value >= java.util.logging.Level.WARNING.intValue()) {
            return Logger.Level.WARN;
        }
        return value >= java.util.logging.Level.INFO.intValue() ? Logger.Level.INFO : Logger.Level.DEBUG;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
