package io.fal4j.deployment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fal4j.api.File;
import io.fal4j.runtime.Fal4jConfig;
import io.fal4j.runtime.files.Payload;
import io.fal4j.runtime.files.S3Cdn;
import io.quarkus.runtime.configuration.MemorySize;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** With a public base URL the S3 CDN answers plain links under it, with no signature. */
class S3PublicUrlTest {

    record Settings(Optional<String> bucket, Optional<String> prefix, Optional<URI> endpoint, String region,
            boolean pathStyle, Optional<String> accessKey, Optional<String> secretKey, Optional<URI> publicUrl,
            Duration presignLifetime, MemorySize multipartThreshold, MemorySize partSize) implements Fal4jConfig.S3 {
    }

    @Test
    void linksUnderThePublicBaseUrl() throws Exception {
        String unavailable = S3Server.unavailable();
        assumeTrue(unavailable == null, unavailable);
        URI endpoint = S3Server.endpoint();
        MemorySize big = new MemorySize(BigInteger.valueOf(64L << 20));
        Settings settings = new Settings(Optional.of(S3Server.BUCKET), Optional.of("public/"), Optional.of(endpoint),
                "us-east-1", true, Optional.of(S3Server.ACCESS_KEY), Optional.of(S3Server.SECRET_KEY),
                Optional.of(URI.create("https://cdn.example.com/assets/")), Duration.ofHours(1), big, big);
        Payload payload = Payload.of(File.fromBytes("public bytes".getBytes(), "note.txt"));
        try (S3Cdn cdn = new S3Cdn(settings, Duration.ofSeconds(5)); S3Client s3 = S3Server.client(endpoint)) {
            assertEquals("https://cdn.example.com/assets/public/" + payload.key(), cdn.store(payload, "http://ignored"));
            assertArrayEquals("public bytes".getBytes(), s3.getObjectAsBytes(get -> get.bucket(S3Server.BUCKET)
                    .key("public/" + payload.key())).asByteArray());
            assertEquals("text/plain", s3.headObject(head -> head.bucket(S3Server.BUCKET)
                    .key("public/" + payload.key())).contentType());
        }
    }
}
