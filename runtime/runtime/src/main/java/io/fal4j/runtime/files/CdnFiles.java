package io.fal4j.runtime.files;

import io.fal4j.api.File;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the local CDN at {@code GET /files/<key>}: immutable cache headers, an ETag of the content
 * hash, conditional requests, single byte ranges and the content type of the extension. There is no
 * listing, and anything but a well-formed key of a stored file is a 404.
 */
public final class CdnFiles implements Handler<RoutingContext> {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final LocalCdn cdn;
    private final BiConsumer<RoutingContext, Integer> error;

    /**
     * The handler.
     *
     * @param cdn where the files are
     * @param error answers an error status with the runner's {@code {"detail": ...}} body
     */
    public CdnFiles(LocalCdn cdn, BiConsumer<RoutingContext, Integer> error) {
        this.cdn = cdn;
        this.error = error;
    }

    @Override
    public void handle(RoutingContext http) {
        HttpMethod method = http.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            http.response().headers().set("Allow", "GET, HEAD");
            error.accept(http, 405);
            return;
        }
        String path = http.request().path();
        String key = path.substring(path.lastIndexOf('/') + 1);
        Optional<Path> file = path.equals("/files/" + key) ? cdn.find(key) : Optional.empty();
        if (file.isEmpty()) {
            error.accept(http, 404);
            return;
        }
        long size;
        try {
            size = Files.size(file.get());
        } catch (IOException e) {
            error.accept(http, 404);
            return;
        }
        String etag = "\"" + key.substring(0, key.indexOf('.')) + "\"";
        HttpServerResponse response = http.response();
        response.headers().set(HttpHeaders.ETAG, etag)
                .set(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable")
                .set(HttpHeaders.ACCEPT_RANGES, "bytes");
        if (etag.equals(http.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
            response.setStatusCode(304).end();
            return;
        }
        long[] range = range(http.request().getHeader("Range"), size);
        if (range == null) {
            response.headers().set(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
            error.accept(http, 416);
            return;
        }
        if (range.length == 2) {
            response.setStatusCode(206).headers().set(HttpHeaders.CONTENT_RANGE,
                    "bytes " + range[0] + "-" + (range[0] + range[1] - 1) + "/" + size);
        }
        long offset = range.length == 2 ? range[0] : 0;
        long length = range.length == 2 ? range[1] : size;
        response.headers().set(HttpHeaders.CONTENT_TYPE, File.contentTypeOf(key));
        if (method == HttpMethod.HEAD) {
            response.headers().set(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
            response.end();
        } else {
            response.sendFile(file.get().toString(), offset, length);
        }
    }

    /**
     * The requested range as {offset, length}; an empty array for the whole file (no or a multi-part
     * Range header); null when it cannot be satisfied.
     */
    static long[] range(String header, long size) {
        if (header == null || header.contains(",")) {
            return new long[0];
        }
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return new long[0];
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                return suffix == 0 || size == 0 ? null : new long[] {Math.max(0, size - suffix), Math.min(suffix, size)};
            }
            long start = Long.parseLong(m.group(1));
            long end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            return start >= size || end < start ? null : new long[] {start, end - start + 1};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
