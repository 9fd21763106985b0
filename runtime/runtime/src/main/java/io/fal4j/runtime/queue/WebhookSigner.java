package io.fal4j.runtime.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs webhook deliveries the way fal does: an Ed25519 signature, in hex, over
 * {@code request_id \n user_id \n timestamp \n sha256_hex(body)}, with the public key published as
 * a JSON Web Key Set. The key pair is kept in a file (created on first use, readable by its owner
 * only) so that receivers can keep trusting it across restarts. It is read, or created, when the
 * first delivery is signed or the key set is first asked for, not while the runner boots: the
 * security provider's start and the key generation take 20-30 ms of the boot's CPU otherwise.
 */
public final class WebhookSigner {

    /** The headers of a signed delivery. */
    public static final String REQUEST_ID = "X-Fal-Webhook-Request-Id";
    public static final String USER_ID = "X-Fal-Webhook-User-Id";
    public static final String TIMESTAMP = "X-Fal-Webhook-Timestamp";
    public static final String SIGNATURE = "X-Fal-Webhook-Signature";

    private static final int RAW_KEY = 32;

    private final Path keyFile;
    private Keys keys; // guarded by this

    private WebhookSigner(Path keyFile) {
        this.keyFile = keyFile;
    }

    /** A signer whose key pair is kept in a file (two PEM blocks: private, then public key), created when missing. */
    public static WebhookSigner at(Path keyFile) {
        return new WebhookSigner(keyFile);
    }

    /** The key pair and the id it is published under. */
    private record Keys(PrivateKey privateKey, byte[] publicKey, String keyId) {

        static Keys of(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
            byte[] encoded = publicKey.getEncoded();
            // An X.509 Ed25519 key is a fixed 12-byte prefix followed by the raw 32-byte key.
            byte[] raw = Arrays.copyOfRange(encoded, encoded.length - RAW_KEY, encoded.length);
            return new Keys(privateKey, raw,
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw), 0, 8));
        }
    }

    /** The key pair, read from its file or created in it on the first call; a failure is tried again on the next. */
    private synchronized Keys keys() throws IOException {
        if (keys == null) {
            keys = load(keyFile);
        }
        return keys;
    }

    private static Keys load(Path keyFile) throws IOException {
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            if (Files.exists(keyFile)) {
                String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
                PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(block(pem, "PRIVATE KEY")));
                PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(block(pem, "PUBLIC KEY")));
                return Keys.of(privateKey, publicKey);
            }
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            String pem = pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY", pair.getPublic().getEncoded());
            Files.createDirectories(keyFile.toAbsolutePath().getParent());
            Path temporary = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, pem, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temporary, keyFile, StandardCopyOption.ATOMIC_MOVE);
            return Keys.of(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("cannot use the webhook signing key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] block(String pem, String type) {
        int begin = pem.indexOf("-----BEGIN " + type + "-----");
        int end = pem.indexOf("-----END " + type + "-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("no " + type + " block");
        }
        return Base64.getMimeDecoder().decode(pem.substring(begin + type.length() + 16, end).trim());
    }

    /** The headers that sign a delivery of {@code body} for a request. */
    public Map<String, String> sign(String requestId, String userId, long epochSeconds, byte[] body)
            throws IOException {
        PrivateKey privateKey = keys().privateKey();
        try {
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            String message = requestId + "\n" + userId + "\n" + epochSeconds + "\n" + digest;
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(REQUEST_ID, requestId);
            headers.put(USER_ID, userId);
            headers.put(TIMESTAMP, Long.toString(epochSeconds));
            headers.put(SIGNATURE, HexFormat.of().formatHex(signature.sign()));
            return headers;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** The public key as a JSON Web Key Set ({@code {"keys":[{"kty":"OKP","crv":"Ed25519","x":...}]}}). */
    public Map<String, Object> jwks() throws IOException {
        Keys keys = keys();
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("kty", "OKP");
        key.put("crv", "Ed25519");
        key.put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(keys.publicKey()));
        key.put("kid", keys.keyId());
        key.put("use", "sig");
        key.put("alg", "EdDSA");
        return Map.of("keys", List.of(key));
    }
}
