package io.fal4j.api;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * An image an endpoint takes or returns, serialized as fal serializes it: a {@link File} plus
 * {@code "width"} and {@code "height"}.
 *
 * <pre>{@code
 * BufferedImage picture = pipeline.decode(latents);
 * return new Output(List.of(Image.fromBufferedImage(picture)), seed);
 * }</pre>
 */
public final class Image extends File {

    private final int width;
    private final int height;

    private Image(FileContent content, String contentType, String fileName, long fileSize, List<String> repositories,
            int width, int height) {
        super(content, contentType, fileName, fileSize, repositories);
        this.width = width;
        this.height = height;
    }

    /** Encodings an image can be stored in. */
    public enum Format {
        /** Lossless; encoded with fast compression. */
        PNG("image/png", "png"),
        /** Lossy, quality 0.9. */
        JPEG("image/jpeg", "jpg"),
        /** Only when an ImageIO WebP encoder is on the class path. */
        WEBP("image/webp", "webp");

        private final String contentType;
        private final String extension;

        Format(String contentType, String extension) {
            this.contentType = contentType;
            this.extension = extension;
        }

        /** The MIME type. */
        public String contentType() {
            return contentType;
        }
    }

    /** The image encoded as PNG. */
    public static Image fromBufferedImage(BufferedImage image) {
        return fromBufferedImage(image, Format.PNG);
    }

    /**
     * The image encoded in the given format.
     *
     * @throws IllegalArgumentException when no encoder for the format is installed
     */
    public static Image fromBufferedImage(BufferedImage image, Format format) {
        byte[] data = format == Format.PNG ? PngEncoder.encode(image) : encode(image, format);
        return new Image(new FileContent.Bytes(data), format.contentType, "image." + format.extension, data.length,
                List.of(), image.getWidth(), image.getHeight());
    }

    /**
     * An image made of encoded bytes (PNG, JPEG, ...); its size is read from the header.
     *
     * @param data the encoded image; copied
     * @param fileName the name clients see; its extension gives the content type
     */
    public static Image fromBytes(byte[] data, String fileName) {
        byte[] copy = data.clone();
        int[] size = dimensions(copy);
        return new Image(new FileContent.Bytes(copy), MediaTypes.ofFileName(fileName), fileName, copy.length,
                List.of(), size[0], size[1]);
    }

    /**
     * An image read from disk when the runner stores it; its size is read from the header now.
     *
     * @throws IllegalArgumentException when it is not a readable image file
     */
    public static Image fromPath(Path path) {
        Path file = FileContent.OnDisk.check(path);
        int[] size;
        try {
            size = dimensions(new FileContent.OnDisk(file).bytes());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        String name = file.getFileName().toString();
        return new Image(new FileContent.OnDisk(file), MediaTypes.ofFileName(name), name,
                FileContent.OnDisk.size(file), List.of(), size[0], size[1]);
    }

    /**
     * An image that is already hosted; its size is unknown until it is downloaded.
     *
     * @throws IllegalArgumentException for URLs other than http, https and data
     */
    public static Image fromUrl(String url) {
        return fromUrl(url, null, -1, -1);
    }

    /**
     * A hosted image whose bytes the downloader fetches; how the runner binds input images.
     *
     * @param url an {@code http}, {@code https} or {@code data} URL
     * @param downloader fetches the bytes, or null
     * @param width the width the client declared, or -1
     * @param height the height the client declared, or -1
     */
    public static Image fromUrl(String url, Downloader downloader, int width, int height) {
        return new Image(new FileContent.Remote(url, downloader), MediaTypes.ofUrl(url),
                MediaTypes.fileNameOfUrl(url), -1, List.of(), width, height);
    }

    /** The width in pixels, when known without downloading. */
    public OptionalInt width() {
        return width < 0 ? OptionalInt.empty() : OptionalInt.of(width);
    }

    /** The height in pixels, when known without downloading. */
    public OptionalInt height() {
        return height < 0 ? OptionalInt.empty() : OptionalInt.of(height);
    }

    /**
     * Decodes the image (downloading it first if it came from a URL).
     *
     * @throws UncheckedIOException when it cannot be read or decoded
     */
    public BufferedImage toBufferedImage() {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes()));
            if (image == null) {
                throw new IOException("not an image in a format ImageIO reads: " + contentType());
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Image withRepositories(String... names) {
        return (Image) copy(List.of(names));
    }

    @Override
    Image copy(List<String> repositories) {
        return new Image(content(), contentType(), fileName().orElse(null), fileSize().orElse(-1), repositories,
                width, height);
    }

    private static byte[] encode(BufferedImage image, Format format) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByMIMEType(format.contentType);
        if (!writers.hasNext()) {
            throw new IllegalArgumentException("No " + format + " encoder is installed; add an ImageIO plugin for "
                    + format.contentType + " or use PNG");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                if (param.getCompressionType() == null) {
                    param.setCompressionType(param.getCompressionTypes()[0]);
                }
                param.setCompressionQuality(0.9f);
            }
            BufferedImage rgb = format == Format.JPEG ? PngEncoder.withoutAlpha(image) : image;
            writer.write(null, new IIOImage(rgb, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static int[] dimensions(byte[] data) {
        try (ImageInputStream stream = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException("Not an image in a format ImageIO reads");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the image header: " + e.getMessage(), e);
        }
    }
}
