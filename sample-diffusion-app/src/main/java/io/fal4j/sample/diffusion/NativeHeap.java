package io.fal4j.sample.diffusion;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import org.jboss.logging.Logger;

/**
 * glibc's malloc set for a process that allocates and frees the same large tensors request after
 * request. By default glibc hands freed memory back to the kernel (it trims the heap, and serves
 * blocks past a threshold that adapts from 128 KB with mmap), so every forward call faults its
 * activations in again, page by page; where the kernel also pages out memory it finds idle, as
 * virtual machines' memory reclaim does, a decoder call took 15 to 100 ms here instead of 12.
 * Here blocks up to 32 MB (the most glibc allows) come from the heap and the heap is never trimmed:
 * resident memory stays at its high-water mark, and requests reuse it.
 */
final class NativeHeap {

    private static final Logger LOG = Logger.getLogger(NativeHeap.class);

    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;
    /** glibc's limit on 64-bit systems: half its 64 MB arena heaps. */
    private static final int LARGEST_MMAP_THRESHOLD = 32 << 20;

    private NativeHeap() {
    }

    /**
     * Keeps freed native memory for reuse, unless {@code GLIBC_TUNABLES} already sets malloc up or the
     * C library is not glibc.
     *
     * @return whether the settings took
     */
    static boolean keepFreedMemory() {
        String tunables = System.getenv("GLIBC_TUNABLES");
        if (!Platform.isLinux() || tunables != null && tunables.contains("glibc.malloc.")) {
            return false;
        }
        try {
            // Looked up among the symbols the process has loaded (the JVM has loaded the C library):
            // by name ("c"), JNA tries file names and paths in turn, and a proxy over an interface
            // adds the reflection of a dynamic class, all before libtorch starts loading.
            Function mallopt = NativeLibrary.getProcess().getFunction("mallopt");
            boolean kept = mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, LARGEST_MMAP_THRESHOLD}) == 1
                    & mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, Integer.MAX_VALUE}) == 1;
            LOG.debugf("Native heap keeps freed memory: %s", kept);
            return kept;
        } catch (UnsatisfiedLinkError notGlibc) {
            LOG.debugf("Native heap left as it is: %s", notGlibc.getMessage());
            return false;
        }
    }
}
