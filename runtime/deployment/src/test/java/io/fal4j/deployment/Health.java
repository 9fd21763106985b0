package io.fal4j.deployment;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for the runner under test to reach a state, as a load balancer polling /health would. */
final class Health {

    private Health() {
    }

    static void await(String state) {
        await(state, Duration.ofSeconds(20));
    }

    static void await(String state, Duration limit) {
        String[] last = new String[1];
        until(() -> state.equals(last[0] = given().get("/health").path("state")), limit,
                () -> "the runner stayed " + last[0] + " instead of becoming " + state);
    }

    /** Waits up to 20 s for something that follows a request's answer or a signal without being ordered after it. */
    static void until(BooleanSupplier condition, String otherwise) {
        until(condition, Duration.ofSeconds(20), () -> otherwise);
    }

    private static void until(BooleanSupplier condition, Duration limit, Supplier<String> otherwise) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(otherwise.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
