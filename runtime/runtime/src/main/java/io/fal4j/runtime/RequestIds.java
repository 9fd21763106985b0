package io.fal4j.runtime;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The {@code x-fal-request-id} of a request: the client's, when it is sane, or a new random UUID. */
final class RequestIds {

    /** The header, as fal names it. */
    static final String HEADER = "x-fal-request-id";

    private static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    /** The id to use for a request that sent {@code given} (or null). */
    static String of(String given) {
        return given != null && sane(given) ? given : generate();
    }

    /** A new random (version 4) UUID; cheaper than {@link UUID#randomUUID()}, which draws from SecureRandom. */
    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(msb, lsb).toString();
    }

    private static boolean sane(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }
}
