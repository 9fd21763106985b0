package io.fal4j.runtime.files;

import io.fal4j.api.File;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One output file ready to store: its bytes, read once, and the content-addressed key they get.
 *
 * @param data the bytes
 * @param sha256 their SHA-256, in hex
 * @param extension the extension of the stored name
 * @param contentType the MIME type
 */
public record Payload(byte[] data, String sha256, String extension, String contentType) {

    /** Reads the file's bytes and hashes them. */
    public static Payload of(File file) {
        byte[] data = file.bytes();
        return new Payload(data, sha256(data), file.extension(), file.contentType());
    }

    /** The content-addressed name: {@code <sha256>.<extension>}. */
    public String key() {
        return sha256 + "." + extension;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
