package io.fal4j.sample.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

/**
 * The warm-up runs on one intra-op thread; the threads that serve requests afterwards get the
 * engine's thread count as it was before.
 */
class WarmUpTest {

    /** The intra-op threads an operation on a thread that has not run one yet would use. */
    private static int threadsOfAFreshThread() throws Exception {
        FutureTask<Integer> threads = new FutureTask<>(JniUtils::getNumThreads);
        new Thread(threads).start();
        return threads.get();
    }

    @Test
    void threadsServingRequestsAfterTheWarmUpUseAllTheEnginesThreads() throws Exception {
        DiffusionPipeline pipeline = TinyModel.pipeline();
        int threads = threadsOfAFreshThread();
        assumeTrue(threads > 1, "the engine runs one intra-op thread on this machine, as the warm-up does");
        // what the warm-up sets is what fresh threads take: left at 1, requests would run on one thread
        JniUtils.setNumThreads(1);
        try {
            assertEquals(1, threadsOfAFreshThread());
        } finally {
            JniUtils.setNumThreads(threads);
        }

        pipeline.warmUp();

        assertEquals(threads, threadsOfAFreshThread());
    }
}
