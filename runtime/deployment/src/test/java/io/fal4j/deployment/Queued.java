package io.fal4j.deployment;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;

/** Follows queued requests of the runner under test the way a polling client does. */
final class Queued {

    private Queued() {
    }

    /** A fresh journal directory, so that no test sees another's requests. */
    static String journalDir() {
        try {
            return Files.createTempDirectory("fal4j-queue-test").toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code /{app}/requests/{id}/status} until it says {@code wanted}. */
    static void awaitStatus(String app, String id, String wanted) {
        for (int i = 0; i < 1000; i++) {
            if (wanted.equals(given().get(app + "/requests/" + id + "/status").path("status"))) {
                return;
            }
            pause();
        }
        throw new AssertionError(id + " never became " + wanted);
    }

    /** Waits for COMPLETED and returns the status with its logs. */
    static JsonPath awaitCompleted(String app, String id) {
        awaitStatus(app, id, "COMPLETED");
        return given().get(app + "/requests/" + id + "/status?logs=1").then().statusCode(200).extract().jsonPath();
    }

    static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
