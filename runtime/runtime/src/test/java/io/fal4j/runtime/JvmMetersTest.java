package io.fal4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class JvmMetersTest {

    @Test
    void bindsTheJvmsAndTheProcesssMetersOnce() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (JvmMeters meters = new JvmMeters(registry, true, true)) {
            assertTrue(registry.getMeters().isEmpty(), "nothing is bound before the first scrape");
            meters.bind();
            int bound = registry.getMeters().size();
            assertNotNull(registry.find("jvm.memory.used").gauge());
            assertNotNull(registry.find("jvm.threads.live").gauge());
            assertNotNull(registry.find("jvm.classes.loaded").gauge());
            assertNotNull(registry.find("jvm.info").meter());
            assertNotNull(registry.find("process.uptime").timeGauge());
            assertNotNull(registry.find("system.cpu.count").gauge());
            meters.bind();
            assertEquals(bound, registry.getMeters().size());
        }
    }

    @Test
    void leavesAGroupQuarkusBindsAlone() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (JvmMeters meters = new JvmMeters(registry, false, true)) {
            meters.bind();
            assertNull(registry.find("jvm.memory.used").gauge());
            assertNotNull(registry.find("process.uptime").timeGauge());
        }
        SimpleMeterRegistry none = new SimpleMeterRegistry();
        try (JvmMeters meters = new JvmMeters(none, false, false)) {
            meters.bind();
            assertTrue(none.getMeters().isEmpty());
        }
    }
}
