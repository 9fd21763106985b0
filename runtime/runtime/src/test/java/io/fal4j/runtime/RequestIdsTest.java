package io.fal4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void keepsTheClientsIdWhenItIsSane() {
        assertEquals("req-42", RequestIds.of("req-42"));
        assertEquals("0b9d2f1e-7c1f-4a1e-9f0a-3b8f1c2d4e5f", RequestIds.of("0b9d2f1e-7c1f-4a1e-9f0a-3b8f1c2d4e5f"));
    }

    @Test
    void replacesMissingEmptyOverlongOrUnprintableIds() {
        for (String bad : new String[] {null, "", "x".repeat(129), "two words", "tab\there", "caf\u00e9"}) {
            String id = RequestIds.of(bad);
            assertNotEquals(bad, id);
            assertEquals(4, UUID.fromString(id).version());
        }
    }

    @Test
    void generatesDistinctVersion4Uuids() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            UUID id = UUID.fromString(RequestIds.generate());
            assertEquals(4, id.version());
            assertEquals(2, id.variant());
            ids.add(id.toString());
        }
        assertTrue(ids.size() == 10_000);
    }
}
