package io.fal4j.runtime;

import org.jboss.logging.Logger;

/** The log lines of one queued request, which its status shows: the app's own, and its progress. */
interface RequestLog {

    /** Lines the app wrote, through its {@code RequestContext} or its logging. */
    String USER = "user";
    /** Lines the runner wrote about the request. */
    String RUNNER = "runner";

    /** Adds a line. */
    void add(Logger.Level level, String message, String source);

    /** Adds a progress line, {@code step} of {@code total}. */
    void progress(int step, int total);
}
