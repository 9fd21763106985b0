package io.fal4j.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fal4j.api.App;
import io.fal4j.api.Endpoint;
import io.fal4j.api.FalApp;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JVM's and the process's meters are bound by the first scrape, on either metrics path, not by the boot. */
class JvmMetersScrapeTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Health.class, PingApp.class, Input.class));

    public record Input(String name) {
    }

    @FalApp
    public static class PingApp implements App {
        @Endpoint("/")
        public Input ping(Input input) {
            return input;
        }
    }

    @Inject
    MeterRegistry registry;

    @Test
    void theFirstScrapeBindsThem() {
        Health.await("READY");
        assertNull(registry.find("jvm.memory.used").gauge(), "bound before any scrape");
        assertNull(registry.find("process.uptime").timeGauge(), "bound before any scrape");

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes{"))
                .body(containsString("jvm_threads_live_threads "))
                .body(containsString("jvm_classes_loaded_classes "))
                .body(containsString("process_uptime_seconds "))
                .body(containsString("system_cpu_count "))
                .body(containsString("fal4j_app_state{"));
        long meters = jvmAndProcessMeters();
        given().get("/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes{"));
        assertEquals(meters, jvmAndProcessMeters(), "a second scrape binds nothing more");
    }

    private long jvmAndProcessMeters() {
        return registry.getMeters().stream().map(meter -> meter.getId().getName())
                .filter(name -> name.startsWith("jvm.") || name.startsWith("process.") || name.startsWith("system."))
                .count();
    }
}
