package io.fal4j.runtime.files;

import io.fal4j.runtime.Fal4jConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.VertxInternal;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Downloads input files for {@code File.bytes()}: {@code data:} URIs are decoded, {@code http(s)}
 * URLs fetched with a size cap, an overall timeout, a bounded number of redirects, and every hop
 * checked by the {@link AddressPolicy}.
 */
public final class Downloads implements AutoCloseable {

    private final HttpClient client;
    /**
     * The one event loop every download runs on. A kept-alive connection lives on the loop that opened
     * it; were a request's handlers set from another loop, a short body could arrive, and be dropped,
     * before they were.
     */
    private final Context loop;
    private final AddressPolicy policy;
    private final long maxSize;
    private final long timeoutMillis;
    private final int maxRedirects;

    public Downloads(Vertx vertx, Fal4jConfig.Download config) {
        this(vertx, config, new AddressPolicy(config.allowPrivate()));
    }

    Downloads(Vertx vertx, Fal4jConfig.Download config, AddressPolicy policy) {
        this.policy = policy;
        this.maxSize = config.maxSize().asLongValue();
        this.timeoutMillis = config.timeout().toMillis();
        this.maxRedirects = config.maxRedirects();
        this.loop = ((VertxInternal) vertx).createEventLoopContext();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .setMaxRedirects(0).setTryUseCompression(false));
    }

    /**
     * Downloads one URL of a request body.
     *
     * @param field where the URL was in the body, for the error
     * @throws DownloadException when the URL is refused, unreachable, too large, too slow or not 2xx
     */
    public byte[] download(String url, List<Object> field) throws DownloadException {
        try {
            return url.regionMatches(true, 0, "data:", 0, 5) ? decode(url) : fetch(url);
        } catch (DownloadException e) {
            throw e.at(field);
        }
    }

    private byte[] decode(String url) throws DownloadException {
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw new DownloadException("the data URI has no comma before its data");
        }
        String meta = url.substring(5, comma).toLowerCase(Locale.ROOT);
        String data = url.substring(comma + 1);
        if (data.length() / 4L * 3 > maxSize) {
            throw tooLarge();
        }
        try {
            byte[] bytes = meta.endsWith(";base64") ? Base64.getDecoder().decode(data.replaceAll("\\s", ""))
                    : URLDecoder.decode(data.replace("+", "%2B"), StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8);
            if (bytes.length > maxSize) {
                throw tooLarge();
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new DownloadException("the data URI is not valid base64");
        }
    }

    private byte[] fetch(String url) throws DownloadException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        URI uri = parse(url);
        for (int hop = 0; hop <= maxRedirects; hop++) {
            Fetched fetched = fetchOnce(uri, deadline);
            if (fetched.location() == null) {
                return fetched.body();
            }
            uri = uri.resolve(parse(fetched.location()));
        }
        throw new DownloadException("more than " + maxRedirects + " redirects");
    }

    private record Fetched(byte[] body, String location) {
    }

    private Fetched fetchOnce(URI uri, long deadline) throws DownloadException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new DownloadException("'" + uri + "' is not an http or https URL");
        }
        try {
            return policy.connect(uri.getHost(),
                    address -> fetchFrom(AddressPolicy.pinned(HttpMethod.GET, uri, address), deadline));
        } catch (ConnectException e) {
            throw new DownloadException("cannot fetch " + uri.getHost() + ": " + e.getMessage());
        }
    }

    private Fetched fetchFrom(RequestOptions request, long deadline) throws DownloadException, ConnectException {
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        Promise<Fetched> response = Promise.promise();
        loop.runOnContext(v -> client.request(request).compose(http -> {
            sent.set(http);
            return http.send();
        }).compose(this::read).onComplete(response));
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        try {
            return response.future().toCompletionStage().toCompletableFuture()
                    .get(Math.max(1, remaining), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (sent.get() != null) {
                sent.get().reset();
            }
            throw new DownloadException("the download took longer than " + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConnectException unreachable) {
                throw unreachable;
            }
            throw e.getCause() instanceof DownloadException refused ? refused
                    : new DownloadException("cannot fetch " + request.getHost() + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("interrupted");
        }
    }

    private Future<Fetched> read(HttpClientResponse response) {
        int status = response.statusCode();
        if (status >= 300 && status < 400 && response.getHeader("Location") != null) {
            return response.end().map(v -> new Fetched(null, response.getHeader("Location")));
        }
        if (status < 200 || status >= 300) {
            // the body is read and dropped (within the deadline), so the connection can be kept
            DownloadException refused = new DownloadException("the server answered HTTP " + status);
            return response.end().transform(v -> Future.failedFuture(refused));
        }
        String length = response.getHeader("Content-Length");
        if (length != null && Long.parseLong(length.trim()) > maxSize) {
            return stop(response, tooLarge());
        }
        Promise<Fetched> body = Promise.promise();
        Buffer collected = Buffer.buffer();
        response.handler(chunk -> {
            if (collected.length() + chunk.length() > maxSize) {
                body.tryFail(tooLarge());
                response.request().reset();
            } else {
                collected.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(body::tryFail);
        response.endHandler(v -> body.tryComplete(new Fetched(collected.getBytes(), null)));
        return body.future();
    }

    private static Future<Fetched> stop(HttpClientResponse response, DownloadException why) {
        Future<Fetched> failed = Future.failedFuture(why);
        response.request().reset();
        return failed;
    }

    private DownloadException tooLarge() {
        return new DownloadException("the file is larger than the limit of " + maxSize + " bytes");
    }

    private static URI parse(String url) throws DownloadException {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new DownloadException("'" + url + "' is not a valid URL");
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
