package io.fal4j.sample.diffusion;

import io.fal4j.api.RequestContext;
import java.time.Instant;

/** The context of the warm-up run during setup: never cancelled, and it reports nothing. */
final class WarmUp implements RequestContext {

    static final WarmUp CONTEXT = new WarmUp();

    @Override
    public String requestId() {
        return "warm-up";
    }

    @Override
    public Instant deadline() {
        return Instant.MAX;
    }

    @Override
    public boolean cancelled() {
        return false;
    }

    @Override
    public void progress(int step, int total) {
    }

    @Override
    public void log(Level level, String message) {
    }
}
