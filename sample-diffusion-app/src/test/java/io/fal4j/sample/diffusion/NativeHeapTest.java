package io.fal4j.sample.diffusion;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

class NativeHeapTest {

    @Test
    void glibcTakesTheSettings() {
        assumeTrue(Platform.isLinux(), "mallopt is glibc's");
        assumeTrue(System.getenv("GLIBC_TUNABLES") == null, "GLIBC_TUNABLES sets malloc up already");
        assertTrue(NativeHeap.keepFreedMemory(), "mallopt refused the settings");
    }
}
