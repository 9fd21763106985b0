package io.fal4j.runtime;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The runner's configuration: {@code fal4j.*} properties, or {@code FAL4J_*} environment variables. */
@ConfigMapping(prefix = "fal4j")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface Fal4jConfig {

    /** The HTTP port; {@code quarkus.http.port} follows it. The {@code PORT} variable sets it too. */
    @WithDefault("${PORT:8080}")
    int port();

    /** What one request, and the runner as a whole, may use. */
    Limits limits();

    /** Start-up and shut-down. */
    Lifecycle lifecycle();

    /** Output files (where they are stored) and input files (how they are downloaded). */
    Files files();

    /** The durable request queue and its fal-compatible API. */
    Queue queue();

    /** Request limits. */
    interface Limits {

        /** The largest request body; a larger one gets 413. */
        @WithDefault("32M")
        MemorySize maxBodySize();

        /** How many requests may wait for a free slot once all {@code maxMultiplexing} slots are busy; beyond that, 429. */
        @WithDefault("16")
        int queueLength();

        /** The {@code Retry-After} a 429 answer carries. */
        @WithDefault("1S")
        Duration retryAfter();

        /** The deepest nesting of arrays and objects a request body may have. */
        @WithDefault("256")
        int maxJsonDepth();

        /** Overrides the app's {@code requestTimeout}. */
        Optional<Duration> requestTimeout();
    }

    /** Start-up and shut-down. */
    interface Lifecycle {

        /** Overrides the app's {@code startupTimeout}. */
        Optional<Duration> startupTimeout();

        /** How long in-flight requests may take to finish after SIGTERM before they are cancelled. */
        @WithDefault("30S")
        Duration drainGrace();

        /** Whether the process exits (status 1) after setup fails; tests that inspect the failed state turn it off. */
        @WithDefault("true")
        boolean exitOnSetupFailure();

        /** How long {@code SETUP_FAILED} stays visible on {@code /health} before the process exits. */
        @WithDefault("5S")
        Duration setupFailureExitDelay();
    }

    /** Files. */
    interface Files {

        /** The repositories an output file is stored in, tried in order until one succeeds: {@code cdn}, {@code in_memory}. */
        @WithDefault("cdn,in_memory")
        List<String> repositories();

        /** How long one call to a repository may take. */
        @WithDefault("30S")
        Duration timeout();

        /** Attempts per repository when it fails transiently (5xx, 429, timeouts, connection resets). */
        @WithDefault("3")
        int attempts();

        /** The first pause between attempts; it doubles each time, with full jitter. */
        @WithDefault("200MS")
        Duration backoff();

        /** The CDN repository. */
        Cdn cdn();

        /** Downloads of input files. */
        Download download();
    }

    /** The {@code cdn} repository: a local directory served by the runner, or S3-compatible object storage. */
    interface Cdn {

        /** {@code local} or {@code s3}. */
        @WithDefault("local")
        CdnKind kind();

        /** Where the local CDN keeps its files. */
        @WithDefault("${java.io.tmpdir}/fal4j-cdn")
        Path dir();

        /** The base URL clients reach this runner at, for local CDN links; by default each request's own host. */
        Optional<URI> publicUrl();

        /** The S3 settings, used when {@code kind} is {@code s3}. */
        S3 s3();
    }

    /** Where the CDN keeps files. */
    enum CdnKind {
        /** A local directory, served at {@code /files/<key>}. */
        LOCAL,
        /** An S3-compatible bucket. */
        S3
    }

    /** S3-compatible object storage. */
    interface S3 {

        /** The bucket; required for {@code kind=s3}. */
        Optional<String> bucket();

        /** A prefix for every key, such as {@code outputs/}. */
        Optional<String> prefix();

        /** The endpoint, for storage other than AWS (MinIO, R2, S3Proxy). */
        Optional<URI> endpoint();

        /** The region. */
        @WithDefault("us-east-1")
        String region();

        /** Whether to address the bucket in the path ({@code host/bucket/key}) instead of the host name. */
        @WithDefault("false")
        boolean pathStyle();

        /** The access key; the AWS default credential chain when absent. */
        Optional<String> accessKey();

        /** The secret key; the AWS default credential chain when absent. */
        Optional<String> secretKey();

        /** A public base URL for stored keys; without it, clients get presigned GET URLs. */
        Optional<URI> publicUrl();

        /** How long a presigned URL stays valid. */
        @WithDefault("1H")
        Duration presignLifetime();

        /** Files larger than this are uploaded in parts. */
        @WithDefault("16M")
        MemorySize multipartThreshold();

        /** The size of each part of a multipart upload (at least 5M). */
        @WithDefault("8M")
        MemorySize partSize();
    }

    /** Input file downloads. */
    interface Download {

        /** The largest file downloaded. */
        @WithDefault("32M")
        MemorySize maxSize();

        /** How long one download may take. */
        @WithDefault("30S")
        Duration timeout();

        /** How many redirects a download follows. */
        @WithDefault("5")
        int maxRedirects();

        /** Whether URLs may point at loopback, private, link-local or other internal addresses (an SSRF risk). */
        @WithDefault("false")
        boolean allowPrivate();
    }

    /** The durable request queue: {@code POST /{owner}/{app}[/path]} and its status, result and cancel routes. */
    interface Queue {

        /** Whether the queue API is served. */
        @WithDefault("true")
        boolean enabled();

        /** The owner in the queue's paths, as in {@code /local/text-to-image}. */
        @WithDefault("local")
        String owner();

        /** Where the journal lives; by default {@code fal4j-queue/<app>} under the temporary directory. Mount a volume here to keep requests across containers. */
        Optional<Path> dir();

        /** Whether a request is fsynced before it is acknowledged (survives a machine crash), not only written (survives a process crash). */
        @WithDefault("true")
        boolean sync();

        /** The most requests waiting to start; a submit beyond it gets 429. */
        @WithDefault("10000")
        int maxQueued();

        /** How long a completed request's status and result are kept. */
        @WithDefault("24H")
        Duration resultTtl();

        /** The most completed requests kept (in memory and in the journal); past it the oldest are forgotten first. */
        @WithDefault("100000")
        int maxRetained();

        /** The journal's size past which it is compacted to the live requests. */
        @WithDefault("64M")
        MemorySize segmentSize();

        /** The most log lines kept per request. */
        @WithDefault("1000")
        int maxLogLines();

        /** Webhook deliveries. */
        Webhook webhook();
    }

    /** Webhook deliveries ({@code ?fal_webhook=URL}). */
    interface Webhook {

        /** How long one delivery attempt may take. */
        @WithDefault("15S")
        Duration timeout();

        /** Attempts in all before a delivery is given up. */
        @WithDefault("10")
        int attempts();

        /** The pause after the first failed attempt; it doubles after each further one (with jitter), about two hours in all by default. */
        @WithDefault("15S")
        Duration backoff();

        /** Whether webhooks may target loopback, private or other internal addresses. */
        @WithDefault("false")
        boolean allowPrivate();

        /** The Ed25519 key pair that signs deliveries (PEM); created on first use. By default {@code webhook-key.pem} in the queue directory. */
        Optional<Path> keyFile();
    }
}
