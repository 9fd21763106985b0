package io.fal4j.runtime.files;

import io.fal4j.runtime.Fal4jConfig;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The CDN on S3-compatible object storage: content-addressed keys under a prefix, public URLs when
 * a public base is configured and presigned GETs otherwise, multipart uploads above a threshold.
 * The SDK's own retries are off: {@link Uploads} retries every repository the same way.
 */
public final class S3Cdn implements FileRepository, AutoCloseable {

    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final String prefix;
    private final Optional<String> publicUrl;
    private final Duration presignLifetime;
    private final long multipartThreshold;
    private final int partSize;

    public S3Cdn(Fal4jConfig.S3 config, Duration timeout) {
        this.bucket = config.bucket().orElseThrow(() -> new IllegalArgumentException(
                "fal4j.files.cdn.kind=s3 needs fal4j.files.cdn.s3.bucket"));
        this.prefix = config.prefix().orElse("");
        this.publicUrl = config.publicUrl().map(URI::toString).map(url -> url.replaceAll("/+$", ""));
        this.presignLifetime = config.presignLifetime();
        this.multipartThreshold = config.multipartThreshold().asLongValue();
        this.partSize = (int) Math.max(5L << 20, config.partSize().asLongValue());
        Region region = Region.of(config.region());
        AwsCredentialsProvider credentials = config.accessKey().isPresent() && config.secretKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey().get(),
                        config.secretKey().get()))
                : DefaultCredentialsProvider.builder().build();
        var client = S3Client.builder().region(region).credentialsProvider(credentials)
                .forcePathStyle(config.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(timeout)
                        .retryPolicy(RetryPolicy.none()).build());
        var presign = S3Presigner.builder().region(region).credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build());
        config.endpoint().ifPresent(endpoint -> {
            client.endpointOverride(endpoint);
            presign.endpointOverride(endpoint);
        });
        this.s3 = client.build();
        this.presigner = presign.build();
    }

    @Override
    public String name() {
        return "cdn";
    }

    @Override
    public String store(Payload payload, String baseUrl) throws StoreException {
        String key = prefix + payload.key();
        try {
            if (payload.data().length > multipartThreshold) {
                putInParts(key, payload);
            } else {
                s3.putObject(put -> put.bucket(bucket).key(key).contentType(payload.contentType())
                        .cacheControl(IMMUTABLE), RequestBody.fromBytes(payload.data()));
            }
        } catch (SdkException e) {
            throw new StoreException("s3://" + bucket + "/" + key + ": " + summary(e), isTransient(e), e);
        }
        return publicUrl.map(base -> base + "/" + key).orElseGet(() -> presigner.presignGetObject(request -> request
                .signatureDuration(presignLifetime).getObjectRequest(get -> get.bucket(bucket).key(key)))
                .url().toString());
    }

    private void putInParts(String key, Payload payload) {
        String upload = s3.createMultipartUpload(create -> create.bucket(bucket).key(key)
                .contentType(payload.contentType()).cacheControl(IMMUTABLE)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            byte[] data = payload.data();
            for (int offset = 0, number = 1; offset < data.length; offset += partSize, number++) {
                int length = Math.min(partSize, data.length - offset);
                int part = number;
                String etag = s3.uploadPart(request -> request.bucket(bucket).key(key).uploadId(upload)
                        .partNumber(part), RequestBody.fromByteBuffer(ByteBuffer.wrap(data, offset, length).slice())).eTag();
                parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
            }
            s3.completeMultipartUpload(complete -> complete.bucket(bucket).key(key).uploadId(upload)
                    .multipartUpload(done -> done.parts(parts)));
        } catch (SdkException e) {
            try {
                s3.abortMultipartUpload(abort -> abort.bucket(bucket).key(key).uploadId(upload));
            } catch (SdkException ignored) {
                // The bucket's lifecycle rules clean up uploads that cannot be aborted.
            }
            throw e;
        }
    }

    private static boolean isTransient(SdkException e) {
        if (e instanceof S3Exception s3) {
            return s3.statusCode() >= 500 || s3.statusCode() == 429;
        }
        return e instanceof SdkClientException;
    }

    private static String summary(SdkException e) {
        if (e instanceof S3Exception s3) {
            return "HTTP " + s3.statusCode() + " " + (s3.awsErrorDetails() == null ? ""
                    : s3.awsErrorDetails().errorCode());
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Override
    public void close() {
        s3.close();
        presigner.close();
    }
}
