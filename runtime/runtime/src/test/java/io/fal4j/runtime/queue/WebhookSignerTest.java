package io.fal4j.runtime.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSignerTest {

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static String publicKey(WebhookSigner signer) throws IOException {
        return ((List<Map<String, String>>) signer.jwks().get("keys")).get(0).get("x");
    }

    @Test
    void keepsItsKeyAcrossLoadsInAFileOnlyItsOwnerReads() throws IOException {
        Path file = dir.resolve("keys/webhook-key.pem");
        WebhookSigner first = WebhookSigner.at(file);
        assertFalse(Files.exists(file), "the key is created on first use, not before");
        String key = publicKey(first);
        assertTrue(Files.exists(file));
        assertEquals(key, publicKey(first));
        assertEquals(key, publicKey(WebhookSigner.at(file)));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));
        assertNotEquals(key, publicKey(WebhookSigner.at(dir.resolve("other.pem"))));
    }

    @Test
    void signsTheRequestUserTimestampAndBodyDigest() throws IOException {
        WebhookSigner signer = WebhookSigner.at(dir.resolve("key.pem"));
        byte[] body = "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = signer.sign("req-1", "local", 1_700_000_000L, body);
        assertEquals("req-1", headers.get(WebhookSigner.REQUEST_ID));
        assertEquals("local", headers.get(WebhookSigner.USER_ID));
        assertEquals("1700000000", headers.get(WebhookSigner.TIMESTAMP));
        assertEquals(128, headers.get(WebhookSigner.SIGNATURE).length(), "64 signature bytes in hex");
        assertEquals(headers, signer.sign("req-1", "local", 1_700_000_000L, body), "Ed25519 is deterministic");
        assertNotEquals(headers.get(WebhookSigner.SIGNATURE),
                signer.sign("req-1", "local", 1_700_000_001L, body).get(WebhookSigner.SIGNATURE));
    }

    @Test
    void refusesADamagedKeyFile() throws IOException {
        Path file = dir.resolve("key.pem");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        WebhookSigner signer = WebhookSigner.at(file);
        IOException refused = assertThrows(IOException.class, () -> signer.sign("req-1", "local", 1L, new byte[0]));
        assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
        assertThrows(IOException.class, signer::jwks, "a damaged key stays refused");
        Files.delete(file);
        assertEquals(128, signer.sign("req-1", "local", 1L, new byte[0]).get(WebhookSigner.SIGNATURE).length(),
                "a key file put right is used without a restart");
    }
}
