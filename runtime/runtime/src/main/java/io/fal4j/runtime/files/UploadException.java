package io.fal4j.runtime.files;

import java.util.List;

/** An output file could not be stored in any repository of its chain. */
public final class UploadException extends Exception {

    private static final long serialVersionUID = 1L;

    public UploadException(String file, List<String> failures) {
        super("Could not store the output file " + file + (failures.isEmpty() ? "" : " (" + String.join("; ",
                failures) + ")"));
    }
}
