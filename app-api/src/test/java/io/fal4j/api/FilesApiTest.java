package io.fal4j.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesApiTest {

    @Test
    void fileFromBytesTakesItsTypeFromTheNameAndKeepsItsOwnCopy() {
        byte[] data = "1\n00:00:01,000 --> 00:00:02,000\nhi\n".getBytes(StandardCharsets.UTF_8);
        File file = File.fromBytes(data, "transcript.srt");
        data[0] = 'X';

        assertEquals("text/plain", file.contentType());
        assertEquals("transcript.srt", file.fileName().orElseThrow());
        assertEquals(data.length, file.fileSize().getAsLong());
        assertEquals('1', file.bytes()[0]);
        file.bytes()[0] = 'Y';
        assertEquals('1', file.bytes()[0]);
        assertTrue(file.needsUpload());
        assertFalse(file.url().isPresent());
        assertEquals("srt", file.extension());
        assertEquals("application/octet-stream", File.fromBytes(new byte[1], "weights").contentType());
        assertEquals("bin", File.fromBytes(new byte[1], "weights").extension());
        assertEquals("json", File.fromBytes(new byte[1], null, "application/json").extension());
    }

    @Test
    void fileFromPathIsReadWhenNeeded(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("clip.mp4");
        Files.write(path, new byte[] {1, 2, 3});
        File file = File.fromPath(path);
        assertEquals("video/mp4", file.contentType());
        assertEquals(3, file.fileSize().getAsLong());
        Files.write(path, new byte[] {4, 5, 6});
        assertArrayEquals(new byte[] {4, 5, 6}, file.bytes());
        assertArrayEquals(new byte[] {4, 5, 6}, file.open().readAllBytes());
        assertThrows(IllegalArgumentException.class, () -> File.fromPath(dir.resolve("missing.mp4")));
        assertThrows(IllegalArgumentException.class, () -> File.fromPath(dir));
    }

    @Test
    void fileFromUrlKeepsTheUrlAndNeedsADownloaderForItsBytes() {
        File hosted = File.fromUrl("https://cdn.example.com/a/b/cat.png?sig=1");
        assertEquals("https://cdn.example.com/a/b/cat.png?sig=1", hosted.url().orElseThrow());
        assertEquals("image/png", hosted.contentType());
        assertEquals("cat.png", hosted.fileName().orElseThrow());
        assertFalse(hosted.needsUpload());
        assertFalse(hosted.fileSize().isPresent());
        assertThrows(UncheckedIOException.class, hosted::bytes);

        int[] calls = {0};
        File input = File.fromUrl("data:text/plain,hi", url -> {
            calls[0]++;
            return "hi".getBytes(StandardCharsets.US_ASCII);
        });
        assertEquals("text/plain", input.contentType());
        assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), input.bytes());
        input.bytes();
        assertEquals(1, calls[0], "downloaded twice");
        for (String bad : new String[] {"ftp://x/y", "file:///etc/passwd", "/relative", "", null}) {
            assertThrows(IllegalArgumentException.class, () -> File.fromUrl(bad), String.valueOf(bad));
        }
    }

    @Test
    void withRepositoriesReturnsACopy() {
        File file = File.fromBytes(new byte[] {1}, "a.bin");
        File chosen = file.withRepositories("in_memory");
        assertEquals(List.of(), file.repositories());
        assertEquals(List.of("in_memory"), chosen.repositories());
        Image image = Image.fromBufferedImage(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB));
        Image copy = image.withRepositories("cdn");
        assertEquals(2, copy.width().getAsInt());
        assertEquals(List.of("cdn"), copy.repositories());
    }

    @Test
    void pngEncodingIsLosslessForEveryCommonLayout() throws Exception {
        Random random = new Random(7);
        List<BufferedImage> sources = new ArrayList<>();
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_3BYTE_BGR,
                BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_BYTE_GRAY}) {
            sources.add(new BufferedImage(37, 23, type));
        }
        sources.add(planarRgb(37, 23));
        for (BufferedImage source : sources) {
            for (int y = 0; y < 23; y++) {
                for (int x = 0; x < 37; x++) {
                    source.setRGB(x, y, random.nextInt());
                }
            }
            Image image = Image.fromBufferedImage(source);
            assertEquals("image/png", image.contentType());
            assertEquals(37, image.width().getAsInt());
            assertEquals(23, image.height().getAsInt());
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.bytes()));
            for (int y = 0; y < 23; y++) {
                for (int x = 0; x < 37; x++) {
                    int expected = source.getRGB(x, y);
                    int actual = decoded.getRGB(x, y);
                    if (!source.getColorModel().hasAlpha()) {
                        expected |= 0xff000000;
                        actual |= 0xff000000;
                    }
                    assertEquals(expected, actual, source + " pixel " + x + "," + y);
                }
            }
        }
    }

    @Test
    void largeImagesCompressedInPiecesDecodeExactlyAndAlwaysTheSame() throws Exception {
        int width = 640;
        int height = 480;
        assertTrue((width * 3 + 1) * height > 3 * PngEncoder.PIECE, "the image spans several pieces");
        BufferedImage source = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(11);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // smooth gradients with noise: compressible, as generated images are, but not trivially
                source.setRGB(x, y, (x / 3) << 16 | (y / 2) << 8 | ((x + y) / 5 + random.nextInt(16)) & 0xff);
            }
        }
        byte[] png = Image.fromBufferedImage(source).bytes();
        assertArrayEquals(png, Image.fromBufferedImage(source).bytes());
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                assertEquals(source.getRGB(x, y), decoded.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
        assertTrue(png.length < width * height * 3 / 2, "compressed: " + png.length);
    }

    @Test
    void planarImagesEncodeAsJpegToo() {
        BufferedImage planar = planarRgb(16, 8);
        planar.setRGB(3, 4, 0xff8040);
        Image jpeg = Image.fromBufferedImage(planar, Image.Format.JPEG);
        assertEquals("image/jpeg", jpeg.contentType());
        assertEquals(16, jpeg.toBufferedImage().getWidth());
    }

    /** RGB in three planes of one byte array, after a small header, as an inference engine hands images over. */
    private static BufferedImage planarRgb(int width, int height) {
        int plane = width * height;
        int header = 5;
        ComponentSampleModel layout = new ComponentSampleModel(DataBuffer.TYPE_BYTE, width, height, 1, width,
                new int[] {0, plane, 2 * plane});
        WritableRaster raster = Raster.createWritableRaster(layout,
                new DataBufferByte(new byte[header + 3 * plane], 3 * plane, header), null);
        ComponentColorModel rgb = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(rgb, raster, false, null);
    }

    @Test
    void jpegAndBytesAndDecoding() {
        BufferedImage red = new BufferedImage(16, 8, BufferedImage.TYPE_INT_ARGB);
        red.getGraphics().setColor(Color.RED);
        red.getGraphics().fillRect(0, 0, 16, 8);
        Image jpeg = Image.fromBufferedImage(red, Image.Format.JPEG);
        assertEquals("image/jpeg", jpeg.contentType());
        assertEquals("image.jpg", jpeg.fileName().orElseThrow());

        Image again = Image.fromBytes(jpeg.bytes(), "copy.jpg");
        assertEquals(16, again.width().getAsInt());
        assertEquals(8, again.height().getAsInt());
        assertEquals(16, again.toBufferedImage().getWidth());
        assertThrows(IllegalArgumentException.class, () -> Image.fromBytes(new byte[] {1, 2, 3}, "x.png"));
        if (!ImageIO.getImageWritersByMIMEType("image/webp").hasNext()) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> Image.fromBufferedImage(red, Image.Format.WEBP)).getMessage();
            assertTrue(message.contains("No WEBP encoder"), message);
        }
    }

    @Test
    void imageSizesArePresetsOrWidthAndHeight() {
        assertEquals(new ImageSize(1024, 1024), ImageSize.of("square_hd"));
        assertEquals(new ImageSize(512, 512), ImageSize.of("SQUARE"));
        assertEquals(new ImageSize(768, 1024), ImageSize.of("portrait_4_3"));
        assertEquals(new ImageSize(576, 1024), ImageSize.of("portrait_16_9"));
        assertEquals(new ImageSize(1024, 768), ImageSize.of("landscape_4_3"));
        assertEquals(new ImageSize(1024, 576), ImageSize.of("landscape_16_9"));
        assertEquals(new ImageSize(640, 480), ImageSize.of(Map.of("width", 640, "height", 480)));
        assertEquals(List.of("square_hd", "square", "portrait_4_3", "portrait_16_9", "landscape_4_3", "landscape_16_9"),
                List.copyOf(ImageSize.presets().keySet()));
        String message = assertThrows(IllegalArgumentException.class, () -> ImageSize.of("huge")).getMessage();
        assertTrue(message.contains("square_hd"), message);
        assertThrows(IllegalArgumentException.class, () -> ImageSize.of(Map.of("width", 640)));
        assertThrows(IllegalArgumentException.class, () -> new ImageSize(0, 10));
    }
}
