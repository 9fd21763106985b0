package io.fal4j.deployment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.io.IOException;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.junit.jupiter.api.Test;

/** Which app classes may be created early: the ones with no injection point, their superclasses' included. */
class InjectionPointsTest {

    static class Plain {
    }

    static class WithField {
        @Inject
        Object field;
    }

    static class WithInitializer {
        @Inject
        void initialize(Object value) {
        }
    }

    static class WithConstructorParameters {
        WithConstructorParameters(Object value) {
        }
    }

    static class InheritsAField extends WithField {
    }

    @Test
    void findsInjectionPointsInTheClassAndItsSuperclasses() throws IOException {
        Index index = Index.of(Plain.class, WithField.class, WithInitializer.class, WithConstructorParameters.class,
                InheritsAField.class);
        assertFalse(Fal4jProcessor.injects(index, DotName.createSimple(Plain.class.getName())));
        assertTrue(Fal4jProcessor.injects(index, DotName.createSimple(WithField.class.getName())));
        assertTrue(Fal4jProcessor.injects(index, DotName.createSimple(WithInitializer.class.getName())));
        assertTrue(Fal4jProcessor.injects(index, DotName.createSimple(WithConstructorParameters.class.getName())));
        assertTrue(Fal4jProcessor.injects(index, DotName.createSimple(InheritsAField.class.getName())));
    }
}
