package io.fal4j.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ContentTypeTest {

    @Test
    void acceptsJsonInItsSpellingsAndNoContentTypeAtAll() {
        for (String json : new String[] {null, "", "application/json", "Application/JSON",
                "application/json; charset=utf-8", "application/json;charset=\"UTF-8\"", "application/problem+json",
                "application/json; boundary=x"}) {
            assertTrue(EndpointHandler.isJson(json), json);
        }
    }

    @Test
    void refusesOtherTypesAndCharsets() {
        for (String other : new String[] {"text/plain", "text/json", "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded", "application/octet-stream", "application/json; charset=latin1",
                "application/jsonp"}) {
            assertFalse(EndpointHandler.isJson(other), other);
        }
    }
}
