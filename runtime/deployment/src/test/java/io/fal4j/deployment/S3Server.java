package io.fal4j.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 protocol server for the tests: S3Proxy on the filesystem, run as its own process, with
 * a TCP proxy in front that can refuse connections, stall them or answer 503. One per JVM: Quarkus
 * tests load their classes twice, so the state lives in JDK objects kept in the system properties.
 */
final class S3Server {

    static final String ACCESS_KEY = "local-access";
    static final String SECRET_KEY = "local-secret";
    static final String BUCKET = "fal4j-test";

    /** What the proxy does with the next connections. */
    enum Fault { NONE, REFUSE, STALL, FAIL_503 }

    private S3Server() {
    }

    /** Whether S3Proxy can run here; the reason it cannot otherwise. */
    static String unavailable() {
        String jar = System.getProperty("s3proxy.jar");
        return jar != null && Files.isRegularFile(Path.of(jar)) ? null
                : "S3Proxy is not in target/s3proxy; run the tests through Maven, which copies it there";
    }

    /** The endpoint clients use: the fault proxy in front of S3Proxy. Starts both on first use. */
    static synchronized URI endpoint() {
        Properties shared = System.getProperties();
        Object port = shared.get("fal4jtest.s3.proxy-port");
        if (port == null) {
            int s3proxy = startS3Proxy();
            port = startFaultProxy(s3proxy);
            shared.put("fal4jtest.s3.proxy-port", port);
            try (S3Client s3 = client(URI.create("http://127.0.0.1:" + s3proxy))) {
                s3.createBucket(create -> create.bucket(BUCKET));
            }
        }
        return URI.create("http://127.0.0.1:" + port);
    }

    static S3Client client(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY))).build();
    }

    /** Sets what the proxy does; {@code times} connections get it (FAIL_503), or all until changed. */
    static void fault(Fault fault, int times) {
        faultState().set(fault.name());
        failures().set(times);
        generation().incrementAndGet();
    }

    /** How many of the FAIL_503 connections are still to come. */
    static int failuresLeft() {
        return failures().get();
    }

    @SuppressWarnings("unchecked")
    private static AtomicReference<String> faultState() {
        return (AtomicReference<String>) System.getProperties().computeIfAbsent("fal4jtest.s3.fault",
                k -> new AtomicReference<>(Fault.NONE.name()));
    }

    private static AtomicInteger failures() {
        return (AtomicInteger) System.getProperties().computeIfAbsent("fal4jtest.s3.failures",
                k -> new AtomicInteger());
    }

    private static AtomicInteger generation() {
        return (AtomicInteger) System.getProperties().computeIfAbsent("fal4jtest.s3.generation",
                k -> new AtomicInteger());
    }

    private static int startS3Proxy() {
        try {
            int port = freePort();
            Path dir = Files.createTempDirectory("s3proxy");
            Path properties = dir.resolve("s3proxy.conf");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + dir.resolve("data"), ""));
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", System.getProperty("s3proxy.jar"), "--properties", properties.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            for (int i = 0; i < 300; i++) {
                try (Socket probe = new Socket("127.0.0.1", port)) {
                    return port;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            throw new IllegalStateException("S3Proxy did not start: " + Files.readString(dir.resolve("s3proxy.log")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int startFaultProxy(int target) {
        try {
            ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        new Thread(() -> serve(client, target), "s3-fault-proxy").start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "s3-fault-proxy-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            return server.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void serve(Socket client, int target) {
        int born = generation().get();
        try (client) {
            Fault fault = Fault.valueOf(faultState().get());
            if (fault == Fault.REFUSE) {
                client.setSoLinger(true, 0);
                return;
            }
            if (fault == Fault.STALL) {
                // answers nothing for as long as the fault lasts, however long the client waits
                while (generation().get() == born) {
                    Thread.sleep(20);
                }
                return;
            }
            if (fault == Fault.FAIL_503 && failures().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                readHead(client.getInputStream());
                client.getOutputStream().write(("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                return;
            }
            try (Socket upstream = new Socket()) {
                upstream.connect(new InetSocketAddress("127.0.0.1", target));
                Thread back = new Thread(() -> pump(upstream, client, born));
                back.setDaemon(true);
                back.start();
                pump(client, upstream, born);
                back.join(1000);
            }
        } catch (IOException | InterruptedException ignored) {
            // The client or S3Proxy went away.
        }
    }

    /** Copies bytes until either side closes or the fault changes, which ends kept-alive connections. */
    private static void pump(Socket from, Socket to, int born) {
        try {
            from.setSoTimeout(100);
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            while (generation().get() == born) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException idle) {
                    continue;
                }
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closed
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b; matched < 4 && (b = in.read()) >= 0;) {
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
