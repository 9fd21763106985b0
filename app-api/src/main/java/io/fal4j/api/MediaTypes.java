package io.fal4j.api;

import java.util.Locale;
import java.util.Map;

/** Content types by file extension and back, for the formats apps return. */
final class MediaTypes {

    static final String OCTET_STREAM = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("webp", "image/webp"), Map.entry("gif", "image/gif"), Map.entry("bmp", "image/bmp"),
            Map.entry("svg", "image/svg+xml"), Map.entry("tif", "image/tiff"), Map.entry("tiff", "image/tiff"),
            Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("mov", "video/quicktime"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("wav", "audio/wav"), Map.entry("ogg", "audio/ogg"),
            Map.entry("flac", "audio/flac"), Map.entry("txt", "text/plain"), Map.entry("srt", "text/plain"),
            Map.entry("csv", "text/csv"), Map.entry("json", "application/json"), Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"), Map.entry("glb", "model/gltf-binary"),
            Map.entry("safetensors", OCTET_STREAM), Map.entry("bin", OCTET_STREAM));

    private static final Map<String, String> EXTENSION_OF = Map.ofEntries(
            Map.entry("image/png", "png"), Map.entry("image/jpeg", "jpg"), Map.entry("image/webp", "webp"),
            Map.entry("image/gif", "gif"), Map.entry("image/bmp", "bmp"), Map.entry("image/svg+xml", "svg"),
            Map.entry("image/tiff", "tiff"), Map.entry("video/mp4", "mp4"), Map.entry("video/webm", "webm"),
            Map.entry("video/quicktime", "mov"), Map.entry("audio/mpeg", "mp3"), Map.entry("audio/wav", "wav"),
            Map.entry("audio/ogg", "ogg"), Map.entry("audio/flac", "flac"), Map.entry("text/plain", "txt"),
            Map.entry("text/csv", "csv"), Map.entry("application/json", "json"), Map.entry("application/pdf", "pdf"),
            Map.entry("application/zip", "zip"), Map.entry("model/gltf-binary", "glb"));

    private MediaTypes() {
    }

    /** The content type of a file name, by its extension. */
    static String ofFileName(String fileName) {
        String extension = extensionOf(fileName);
        return extension == null ? OCTET_STREAM : BY_EXTENSION.getOrDefault(extension, OCTET_STREAM);
    }

    /** The content type of a URL: a data URI's declared type, or the type of the path's extension. */
    static String ofUrl(String url) {
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            int end = url.indexOf(',');
            String type = url.substring(5, end < 0 ? url.length() : end).split(";")[0].trim();
            return type.isEmpty() ? "text/plain" : type.toLowerCase(Locale.ROOT);
        }
        return ofFileName(fileNameOfUrl(url));
    }

    /** The last path segment of an http(s) URL, or null. */
    static String fileNameOfUrl(String url) {
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            return null;
        }
        String path = url.replaceFirst("^[a-zA-Z]+://[^/]*", "").replaceFirst("[?#].*$", "");
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? null : name;
    }

    /** The extension a stored file gets: the file name's, else the content type's, else {@code bin}. */
    static String extension(String fileName, String contentType) {
        String fromName = extensionOf(fileName);
        if (fromName != null && fromName.matches("[a-z0-9]{1,12}")) {
            return fromName.equals("jpeg") ? "jpg" : fromName;
        }
        return EXTENSION_OF.getOrDefault(contentType, "bin");
    }

    private static String extensionOf(String fileName) {
        if (fileName == null) {
            return null;
        }
        int dot = fileName.lastIndexOf('.');
        return dot < 0 || dot == fileName.length() - 1 ? null : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
