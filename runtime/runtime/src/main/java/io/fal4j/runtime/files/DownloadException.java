package io.fal4j.runtime.files;

import java.io.IOException;
import java.util.List;

/** An input file could not be downloaded: the client's URL is at fault, so the answer is a 422 naming its field. */
public final class DownloadException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient List<Object> location;

    public DownloadException(String reason) {
        this(reason, List.of());
    }

    DownloadException(String reason, List<Object> location) {
        super(reason);
        this.location = List.copyOf(location);
    }

    /** The same failure, located at a field of the body. */
    DownloadException at(List<Object> field) {
        return new DownloadException(getMessage(), field);
    }

    /** Where in the body the URL was, below {@code "body"}; empty when unknown. */
    public List<Object> location() {
        return location;
    }
}
