package io.fal4j.runtime.files;

import java.util.Base64;

/** The {@code in_memory} repository: the file travels in the response as a {@code data:} URI; nothing is stored. */
public final class DataUris implements FileRepository {

    @Override
    public String name() {
        return "in_memory";
    }

    @Override
    public String store(Payload payload, String baseUrl) {
        return "data:" + payload.contentType() + ";base64," + Base64.getEncoder().encodeToString(payload.data());
    }
}
