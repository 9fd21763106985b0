package io.fal4j.runtime.files;

/**
 * Where output files are stored: the CDN (a local directory or S3-compatible storage) or the
 * response itself ({@code in_memory}). A repository stores one payload and returns the URL clients
 * fetch it from; storing the same bytes twice yields one object.
 */
public interface FileRepository {

    /** The name files and configuration refer to it by: {@code cdn}, {@code in_memory}. */
    String name();

    /**
     * Stores the payload.
     *
     * @param payload the bytes and what they are
     * @param baseUrl the base URL the client reached this runner at, for links to the runner itself
     * @return the URL of the stored file
     * @throws StoreException when storing fails; {@link StoreException#transientFailure()} says whether
     *         trying again may help
     */
    String store(Payload payload, String baseUrl) throws StoreException;
}
