package io.fal4j.deployment;

import static io.restassured.RestAssured.given;

import java.time.Duration;

/** Waits for the runner under test to reach a state, as a load balancer polling /health would. */
final class Health {

    private Health() {
    }

    static void await(String state) {
        await(state, Duration.ofSeconds(20));
    }

    static void await(String state, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        String last = null;
        while (System.nanoTime() < end) {
            last = given().get("/health").path("state");
            if (state.equals(last)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the runner stayed " + last + " instead of becoming " + state);
    }
}
