package io.fal4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fal4j.api.AppException;
import io.fal4j.api.FieldException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void runnerErrorsKeepTheirStatusDetailAndHeaders() {
        Problem problem = Problem.of(new RunnerException(429, "busy", Map.of("Retry-After", "2")));
        assertEquals(429, problem.status());
        assertEquals("busy", problem.detail());
        assertEquals(Map.of("Retry-After", "2"), problem.headers());
        assertFalse(problem.unexpected());
    }

    @Test
    void appErrorsAreAnsweredAsTheAppSays() {
        Problem problem = Problem.of(new AppException(409, "already generating"));
        assertEquals(409, problem.status());
        assertEquals("already generating", problem.detail());
        assertFalse(problem.unexpected());
    }

    @Test
    void fieldErrorsBecomeValidationErrorsUnderBody() {
        Problem problem = Problem.of(new FieldException(List.of("image_size", "width"), "must be a multiple of 8"));
        assertEquals(422, problem.status());
        assertEquals(List.of(new FieldError(List.of("body", "image_size", "width"), "must be a multiple of 8",
                "value_error")), problem.detail());
    }

    @Test
    void anythingElseIsAnUnexpected500WithoutItsMessage() {
        Problem problem = Problem.of(new NullPointerException("secret"));
        assertEquals(500, problem.status());
        assertEquals("Internal Server Error", problem.detail());
        assertTrue(problem.unexpected());
        assertFalse(problem.poisonsDevice());
    }

    @Test
    void gpuMemoryIsRetryableAndGpuFaultsPoisonTheRunner() {
        Problem memory = Problem.of(new RuntimeException("outer",
                new IllegalStateException("CUDA out of memory. Tried to allocate 20.00 MiB")));
        assertEquals(503, memory.status());
        assertFalse(memory.poisonsDevice());
        Problem fault = Problem.of(new RuntimeException("CUDA error: an illegal memory access was encountered"));
        assertEquals(503, fault.status());
        assertTrue(fault.poisonsDevice());
    }
}
