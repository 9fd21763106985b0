package io.fal4j.sample.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The buffer tensors are staged in holds every size asked for and starts on libtorch's alignment. */
class StagingBufferTest {

    @Test
    void holdsEverySizeAndStartsAligned() {
        for (int bytes = 1; bytes <= 4096; bytes++) {
            ByteBuffer buffer = DiffusionPipeline.aligned(bytes);
            assertTrue(buffer.capacity() >= bytes, bytes + " bytes asked, " + buffer.capacity() + " given");
            assertEquals(0, buffer.alignmentOffset(0, 64), "start of a buffer of " + bytes + " bytes");
        }
    }
}
