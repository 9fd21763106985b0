package io.fal4j.runtime.queue;

import io.fal4j.runtime.files.AddressPolicy;
import io.fal4j.runtime.files.DownloadException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Delivers webhooks: a signed POST per attempt, each with a timeout, retried with exponential
 * backoff until one gets a 2xx or the attempts run out. Every attempt's outcome goes to the
 * journal, so deliveries resume after a restart. Targets pass the same address policy as input
 * downloads, and the connection goes to the address that was checked.
 */
public final class Webhooks implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Webhooks.class);

    /**
     * How deliveries are made.
     *
     * @param timeout how long one attempt may take
     * @param attempts attempts in all, the first included
     * @param backoff the pause after the first failure; it doubles after each further one
     * @param userId the {@code X-Fal-Webhook-User-Id} the deliveries carry
     */
    public record Settings(Duration timeout, int attempts, Duration backoff, String userId) {
    }

    private final HttpClient client;
    private final WebhookSigner signer;
    private final AddressPolicy policy;
    private final Journal journal;
    private final Settings settings;
    private final ScheduledExecutorService executor;

    public Webhooks(Vertx vertx, WebhookSigner signer, AddressPolicy policy, Journal journal, Settings settings) {
        this.signer = signer;
        this.policy = policy;
        this.journal = journal;
        this.settings = settings;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis()))
                .setMaxRedirects(0).setTryUseCompression(false));
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "fal4j-webhook-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Checks that a webhook URL can be delivered to at all: an absolute http or https URL.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static void check(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + url + "' is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' is not an absolute http or https URL");
        }
    }

    /**
     * Delivers a webhook body, in the background.
     *
     * @param attemptsMade attempts already made (after a restart), which count against the limit
     */
    public void deliver(String requestId, String url, byte[] body, int attemptsMade) {
        Duration delay = attemptsMade == 0 ? Duration.ZERO : backoff(attemptsMade);
        executor.schedule(() -> attempt(requestId, url, body, attemptsMade + 1), delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void attempt(String requestId, String url, byte[] body, int attempt) {
        String failure;
        try {
            int status = post(requestId, URI.create(url), body);
            if (status >= 200 && status < 300) {
                journal.append(new JournalRecord.Webhook(requestId, attempt, true, true));
                LOG.debugf("Webhook for %s delivered on attempt %d", requestId, attempt);
                return;
            }
            failure = "HTTP " + status;
        } catch (DownloadException e) {
            failure = e.getMessage();
        } catch (RuntimeException e) {
            failure = e.toString();
        }
        if (attempt >= settings.attempts()) {
            journal.append(new JournalRecord.Webhook(requestId, attempt, true, false));
            LOG.warnf("Webhook for %s to %s failed %d times (last: %s); giving up", requestId, host(url), attempt,
                    failure);
            return;
        }
        journal.append(new JournalRecord.Webhook(requestId, attempt, false, false));
        Duration delay = backoff(attempt);
        LOG.infof("Webhook for %s to %s failed (%s); attempt %d of %d in %d ms", requestId, host(url), failure,
                attempt + 1, settings.attempts(), delay.toMillis());
        executor.schedule(() -> attempt(requestId, url, body, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The pause after the n-th failed attempt: doubling from the base, jittered to between half and all of it. */
    Duration backoff(int failedAttempts) {
        long base = settings.backoff().toMillis() << Math.min(20, failedAttempts - 1);
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    private int post(String requestId, URI uri, byte[] body) throws DownloadException {
        Map<String, String> signature;
        try {
            signature = signer.sign(requestId, settings.userId(), Instant.now().getEpochSecond(), body);
        } catch (IOException e) {
            throw new DownloadException(String.valueOf(e.getMessage()));
        }
        try {
            return policy.connect(uri.getHost(), address -> {
                RequestOptions request = AddressPolicy.pinned(HttpMethod.POST, uri, address)
                        .putHeader("Content-Type", "application/json");
                signature.forEach(request::putHeader);
                return post(request, body);
            });
        } catch (ConnectException e) {
            throw new DownloadException(String.valueOf(e.getMessage()));
        }
    }

    private int post(RequestOptions request, byte[] body) throws DownloadException, ConnectException {
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        var response = client.request(request).compose(http -> {
            sent.set(http);
            return http.send(Buffer.buffer(body));
        }).compose(answer -> answer.end().map(v -> answer.statusCode()));
        try {
            return response.toCompletionStage().toCompletableFuture().get(settings.timeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (sent.get() != null) {
                sent.get().reset();
            }
            throw new DownloadException("no answer within " + settings.timeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConnectException unreachable) {
                throw unreachable;
            }
            throw new DownloadException(String.valueOf(e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("interrupted");
        }
    }

    private static String host(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        client.close();
    }
}
