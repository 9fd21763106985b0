package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fal4j.api.App;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * maxMultiplexing = 2 with a queue of 1: two requests run, one waits, the next gets 429 with
 * Retry-After; once released all three finish, never more than two at a time, never on an I/O thread.
 */
class MultiplexingTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, GateApp.class, Ticket.class))
            .overrideConfigKey("fal4j.limits.queue-length", "1")
            .overrideConfigKey("fal4j.limits.retry-after", "3S");

    public record Ticket(int id) {
    }

    static final CountDownLatch GATE = new CountDownLatch(1);
    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger MOST = new AtomicInteger();
    static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

    @FalApp(maxMultiplexing = 2)
    public static class GateApp implements App {
        @Endpoint("/")
        public Ticket run(Ticket ticket) throws InterruptedException {
            MOST.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
            THREADS.add(Thread.currentThread().getName());
            try {
                GATE.await(30, TimeUnit.SECONDS);
                return ticket;
            } finally {
                RUNNING.decrementAndGet();
            }
        }
    }

    private static Response post(int id) {
        return given().contentType(ContentType.JSON).body("{\"id\":" + id + "}").post("/");
    }

    @Test
    void admitsTwoQueuesOneAndRefusesTheRest() throws Exception {
        Health.await("READY");
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            List<Future<Response>> admitted = new ArrayList<>();
            for (int id = 1; id <= 3; id++) {
                int ticket = id;
                admitted.add(clients.submit(() -> post(ticket)));
                awaitAdmitted(id);
            }
            given().get("/health").then().body("running", equalTo(2)).body("queued", equalTo(1));
            given().get("/metrics").then().body(containsString("fal4j_requests_queued{app=\"gate-app\"} 1.0"));

            post(4).then().statusCode(429).header("Retry-After", "3").body("detail", containsString("retry later"));

            GATE.countDown();
            for (int i = 0; i < admitted.size(); i++) {
                Response response = admitted.get(i).get(30, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode());
                assertEquals(i + 1, response.<Integer>path("id"));
            }
            assertEquals(2, MOST.get(), "ran more than maxMultiplexing requests at once");
            assertTrue(THREADS.stream().allMatch(name -> name.startsWith("fal4j-worker-")), THREADS.toString());
            given().get("/health").then().body("running", equalTo(0)).body("queued", equalTo(0));
        } finally {
            GATE.countDown();
            clients.shutdownNow();
        }
    }

    private static void awaitAdmitted(int count) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            int running = given().get("/health").path("running");
            int queued = given().get("/health").path("queued");
            if (running + queued >= count) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("request " + count + " was never admitted");
    }
}
