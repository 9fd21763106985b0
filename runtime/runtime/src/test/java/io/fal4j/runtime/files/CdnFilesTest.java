package io.fal4j.runtime.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CdnFilesTest {

    @Test
    void parsesSingleByteRanges() {
        assertArrayEquals(new long[] {0, 10}, CdnFiles.range("bytes=0-9", 100));
        assertArrayEquals(new long[] {90, 10}, CdnFiles.range("bytes=90-", 100));
        assertArrayEquals(new long[] {90, 10}, CdnFiles.range("bytes=90-500", 100));
        assertArrayEquals(new long[] {95, 5}, CdnFiles.range("bytes=-5", 100));
        assertArrayEquals(new long[] {0, 100}, CdnFiles.range("bytes=-500", 100));
    }

    @Test
    void servesTheWholeFileForNoneMalformedOrSeveralRanges() {
        assertArrayEquals(new long[0], CdnFiles.range(null, 100));
        assertArrayEquals(new long[0], CdnFiles.range("bytes=0-1,5-6", 100));
        assertArrayEquals(new long[0], CdnFiles.range("lines=1-2", 100));
        assertArrayEquals(new long[0], CdnFiles.range("bytes=-", 100));
    }

    @Test
    void refusesRangesBeyondTheFile() {
        assertNull(CdnFiles.range("bytes=100-", 100));
        assertNull(CdnFiles.range("bytes=50-10", 100));
        assertNull(CdnFiles.range("bytes=-0", 100));
        assertNull(CdnFiles.range("bytes=99999999999999999999-", 100));
    }
}
