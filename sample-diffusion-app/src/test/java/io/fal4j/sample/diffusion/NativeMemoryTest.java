package io.fal4j.sample.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Native memory does not grow across requests: every request's arrays live in a manager closed when
 * it ends. Checked twice: no array outlives its request, and the resident memory of the process
 * (whose heap the build fixes in size and touches up front) stays flat after a warm-up.
 */
class NativeMemoryTest {

    private static final long ALLOWED_GROWTH = 32L << 20;

    private static long residentOutsideHeap() throws Exception {
        System.gc();
        long resident = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                resident = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return resident - Runtime.getRuntime().totalMemory();
    }

    @Test
    void manyRequestsDoNotGrowNativeMemory() throws Exception {
        DiffusionPipeline pipeline = TinyModel.pipeline();
        DiffusionPipeline.Request request = new DiffusionPipeline.Request("a fox in the snow", "blurry", 128, 128, 3,
                7.5, 1, 2, Scheduler.Kind.PNDM);
        for (int i = 0; i < 50; i++) {
            pipeline.generate(request, new SchedulerGoldenTest.Steps(Integer.MAX_VALUE), null);
        }
        long before = residentOutsideHeap();
        for (int i = 0; i < 300; i++) {
            pipeline.generate(request, new SchedulerGoldenTest.Steps(Integer.MAX_VALUE), null);
        }
        long growth = residentOutsideHeap() - before;
        System.out.printf("native memory growth over 300 requests: %.1f MB%n", growth / 1048576.0);
        assertTrue(growth < ALLOWED_GROWTH, "grew by " + growth / 1048576 + " MB over 300 requests");
        assertEquals(0, pipeline.leftoverArrays(), "arrays outlived their request");
    }
}
