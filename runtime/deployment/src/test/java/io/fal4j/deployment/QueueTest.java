package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fal4j.api.App;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.RequestContext;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The queue API with one worker slot: submit, status (polled and streamed), logs, result, cancel
 * of waiting and running requests, priorities, the start timeout, a full queue, and validation
 * at submit.
 */
class QueueTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, Queued.class, QueuedApp.class, Text.class, Steps.class))
            .overrideConfigKey("fal4j.queue.dir", Queued.journalDir())
            .overrideConfigKey("fal4j.queue.max-queued", "3");

    public record Text(@NotBlank String text) {
    }

    public record Steps(int steps) {
    }

    static final AtomicBoolean OPEN = new AtomicBoolean(true);
    static final AtomicBoolean SAW_CANCEL = new AtomicBoolean();
    static final List<String> RAN = new CopyOnWriteArrayList<>();

    @FalApp(name = "queued", maxMultiplexing = 1)
    public static class QueuedApp implements App {
        private static final Logger LOG = Logger.getLogger(QueuedApp.class);

        @Endpoint("/")
        public Text echo(Text input, RequestContext ctx) {
            RAN.add(input.text());
            ctx.log("hello " + input.text());
            LOG.infof("app log %s", input.text());
            return input;
        }

        @Endpoint("/gate")
        public Text gate(Text input, RequestContext ctx) throws InterruptedException {
            while (!OPEN.get()) {
                if (ctx.cancelled()) {
                    SAW_CANCEL.set(true);
                    return input;
                }
                Thread.sleep(5);
            }
            return input;
        }

        @Endpoint("/steps")
        public Steps steps(Steps input, RequestContext ctx) throws InterruptedException {
            for (int step = 1; step <= input.steps(); step++) {
                Thread.sleep(20);
                ctx.progress(step, input.steps());
            }
            return input;
        }
    }

    @AfterEach
    void open() {
        OPEN.set(true);
    }

    @Test
    void runsASubmittedRequestAndKeepsItsResultAndLogs() {
        Health.await("READY");
        Response submitted = submit("/local/queued", "{\"text\":\"hi\"}");
        submitted.then().statusCode(200).body("status", equalTo("IN_QUEUE"))
                .body("status_url", startsWith("http://localhost:" + RestAssured.port + "/local/queued/requests/"));
        String id = submitted.path("request_id");
        assertEquals(id, submitted.header("x-fal-request-id"));

        JsonPath status = awaitCompleted(id);
        assertEquals(null, status.getString("error"));
        List<String> messages = status.getList("logs.message");
        assertTrue(messages.contains("hello hi"), messages.toString());
        assertTrue(messages.contains("app log hi"), "the app's own logging is in the logs: " + messages);
        assertEquals(List.of("user"), status.getList("logs.source").stream().distinct().toList());
        given().get("/local/queued/requests/" + id).then().statusCode(200).header("x-fal-request-id", id)
                .body("text", equalTo("hi"));
        given().get("/local/queued/requests/" + id + "/status").then().statusCode(200)
                .body("status", equalTo("COMPLETED")).body("logs", equalTo(null));
        given().get("/health").then().body("queue_waiting", equalTo(0));
        given().get("/metrics").then().body(containsString("fal4j_queue_waiting{app=\"queued\"} 0.0"))
                .body(containsString("fal4j_queue_retained{app=\"queued\"}"));
    }

    @Test
    void validatesTheBodyAndHeadersBeforeQueueing() {
        Health.await("READY");
        submit("/local/queued", "{\"text\":\"\"}").then().statusCode(422).body("detail[0].loc[1]", equalTo("text"));
        given().contentType(ContentType.JSON).header("X-Fal-Queue-Priority", "urgent").body("{\"text\":\"a\"}")
                .post("/local/queued").then().statusCode(422).body("detail[0].loc", equalTo(List.of("header",
                        "x-fal-queue-priority")));
        given().contentType(ContentType.JSON).header("X-Fal-Request-Timeout", "soon").body("{\"text\":\"a\"}")
                .post("/local/queued").then().statusCode(422).body("detail[0].loc[1]", equalTo("x-fal-request-timeout"));
        given().contentType(ContentType.JSON).queryParam("fal_webhook", "ftp://example.com/x").body("{\"text\":\"a\"}")
                .post("/local/queued").then().statusCode(422).body("detail[0].loc", equalTo(List.of("query",
                        "fal_webhook")));
        given().contentType(ContentType.TEXT).body("x").post("/local/queued").then().statusCode(415);
        given().get("/local/queued").then().statusCode(405).header("Allow", "POST");
        given().get("/local/queued/requests/nope/status").then().statusCode(404);
        given().get("/local/queued/requests/nope").then().statusCode(404);
        given().put("/local/queued/requests/nope/cancel").then().statusCode(404).body("status", equalTo("NOT_FOUND"));
        given().post("/local/queued/requests/nope/cancel").then().statusCode(405);
        assertTrue(RAN.stream().noneMatch(text -> text.isEmpty() || text.equals("a")), RAN.toString());
    }

    @Test
    void cancelsWaitingAndRunningRequestsAndHonoursPriority() throws Exception {
        Health.await("READY");
        OPEN.set(false);
        String running = submit("/local/queued/gate", "{\"text\":\"running\"}").path("request_id");
        awaitStatus(running, "IN_PROGRESS");
        String waiting = submit("/local/queued", "{\"text\":\"waiting\"}").path("request_id");
        String low = given().contentType(ContentType.JSON).header("X-Fal-Queue-Priority", "low")
                .body("{\"text\":\"low\"}").post("/local/queued").path("request_id");
        Response normal = submit("/local/queued", "{\"text\":\"normal\"}");
        normal.then().body("queue_position", equalTo(1));
        given().get("/local/queued/requests/" + low + "/status").then().statusCode(202)
                .body("status", equalTo("IN_QUEUE")).body("queue_position", equalTo(2));
        submit("/local/queued", "{\"text\":\"one too many\"}").then().statusCode(429);

        given().put("/local/queued/requests/" + waiting + "/cancel").then().statusCode(202)
                .body("status", equalTo("CANCELLATION_REQUESTED"));
        JsonPath cancelled = awaitCompleted(waiting);
        assertEquals("cancelled", cancelled.get("error_type"));
        given().get("/local/queued/requests/" + waiting).then().statusCode(499);

        given().put("/local/queued/requests/" + running + "/cancel").then().statusCode(202);
        awaitCompleted(running);
        given().get("/local/queued/requests/" + running).then().statusCode(499);
        given().put("/local/queued/requests/" + running + "/cancel").then().statusCode(400)
                .body("status", equalTo("ALREADY_COMPLETED"));
        // COMPLETED is answered when the cancel arrives; the work sees it at its next check
        Health.until(SAW_CANCEL::get, "the running request never saw ctx.cancelled()");

        awaitCompleted(low);
        awaitCompleted(normal.path("request_id"));
        List<String> order = new ArrayList<>(RAN);
        assertTrue(order.indexOf("normal") < order.indexOf("low"), order.toString());
        assertTrue(!order.contains("waiting"), order.toString());
    }

    @Test
    void answers504WhenARequestDoesNotStartInTime() {
        Health.await("READY");
        OPEN.set(false);
        String running = submit("/local/queued/gate", "{\"text\":\"holding\"}").path("request_id");
        awaitStatus(running, "IN_PROGRESS");
        String late = given().contentType(ContentType.JSON).header("X-Fal-Request-Timeout", "0.3")
                .body("{\"text\":\"late\"}").post("/local/queued").path("request_id");
        JsonPath status = awaitCompleted(late);
        assertEquals("timeout", status.get("error_type"));
        given().get("/local/queued/requests/" + late).then().statusCode(504)
                .header("X-Fal-Request-Timeout-Type", "user");
        OPEN.set(true);
        awaitCompleted(running);
        assertTrue(!RAN.contains("late"));
    }

    @Test
    void streamsTheStatusWithEachNewLogLineOnce() throws Exception {
        Health.await("READY");
        String id = submit("/local/queued/steps", "{\"steps\":5}").path("request_id");
        HttpResponse<java.util.stream.Stream<String>> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + RestAssured.port + "/local/queued/requests/" + id
                        + "/status/stream?logs=1")).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        assertEquals("text/event-stream", stream.headers().firstValue("content-type").orElse(""));
        List<JsonPath> events = stream.body().filter(line -> line.startsWith("data: "))
                .map(line -> new JsonPath(line.substring(6))).toList();
        assertEquals("COMPLETED", events.get(events.size() - 1).get("status"));
        List<Integer> steps = new ArrayList<>();
        for (JsonPath event : events) {
            steps.addAll(event.getList("logs.step", Integer.class));
        }
        assertEquals(List.of(1, 2, 3, 4, 5), steps, "each progress line arrives once, in order");
        given().get("/local/queued/requests/" + id + "/status?logs=1").then()
                .body("logs.message", hasItem("Step 5/5"));
    }

    private static Response submit(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }

    private static void awaitStatus(String id, String wanted) {
        Queued.awaitStatus("/local/queued", id, wanted);
    }

    private static JsonPath awaitCompleted(String id) {
        return Queued.awaitCompleted("/local/queued", id);
    }
}
