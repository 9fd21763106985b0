package io.fal4j.it;

/** The image the echo app pretends to have made. */
public record Image(String url, String contentType, int width, int height, long fileSize) {
}
