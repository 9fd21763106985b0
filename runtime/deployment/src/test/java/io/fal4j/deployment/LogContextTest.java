package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fal4j.api.App;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.fal4j.api.RequestContext;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.logging.LogRecord;
import org.jboss.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every log line of a request, the app's own and the runner's, carries the request id. */
class LogContextTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, ChattyApp.class, Input.class))
            .setLogRecordPredicate(LogContextTest::captureWithContext)
            .assertLogRecords(LogContextTest::eachCarriesItsRequestId);

    public record Input(boolean fail) {
    }

    @FalApp
    public static class ChattyApp implements App {
        private static final Logger LOG = Logger.getLogger(ChattyApp.class);

        @Endpoint("/")
        public Input run(Input input, RequestContext ctx) throws InterruptedException {
            LOG.infof("chatty app log line for %s", ctx.requestId());
            ctx.log("chatty context line for " + ctx.requestId());
            Thread worker = new Thread(() -> ctx.log(RequestContext.Level.WARNING, "chatty line from another thread for "
                    + ctx.requestId()));
            worker.start();
            worker.join();
            if (input.fail()) {
                throw new IllegalStateException("chatty failure for " + ctx.requestId());
            }
            return input;
        }
    }

    /** Runs on the logging thread: keeps the matching records with the log context of that moment. */
    static boolean captureWithContext(LogRecord record) {
        boolean chatty = record.getMessage() != null && record.getMessage().contains("chatty")
                || record.getThrown() != null && String.valueOf(record.getThrown().getMessage()).contains("chatty");
        if (chatty) {
            ((ExtLogRecord) record).copyMdc();
        }
        return chatty;
    }

    static void eachCarriesItsRequestId(List<LogRecord> records) {
        assertEquals(7, records.size(), "3 lines of each request and the failure");
        for (LogRecord record : records) {
            String id = ((ExtLogRecord) record).getMdc("request_id");
            String text = record.getMessage() + " " + List.of(record.getParameters() == null ? new Object[0]
                    : record.getParameters()) + " " + record.getThrown();
            if (id == null || !text.contains(id)) {
                throw new AssertionError("log line without its request id (" + id + "): " + text);
            }
        }
    }

    @Test
    void logsCarryTheRequestId() {
        Health.await("READY");
        given().contentType(ContentType.JSON).header("x-fal-request-id", "req-a").body("{\"fail\":false}").post("/")
                .then().statusCode(200);
        given().contentType(ContentType.JSON).header("x-fal-request-id", "req-b").body("{\"fail\":true}").post("/")
                .then().statusCode(500);
    }
}
